/* This is a generated file, edit the .stub.php file instead.
 * Stub hash: 5de6c6f1483154c8338dcd9fe4ca0d689cda5fb4 */

ZEND_BEGIN_ARG_INFO_EX(arginfo_class_Tally_Counter___construct, 0, 0, 0)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, options, IS_ARRAY, 0, "[]")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Tally_Counter_increment, 0, 3, IS_LONG, 0)
	ZEND_ARG_TYPE_INFO(0, ownerType, IS_STRING, 0)
	ZEND_ARG_TYPE_MASK(0, ownerId, MAY_BE_LONG|MAY_BE_STRING, NULL)
	ZEND_ARG_TYPE_INFO(0, key, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, amount, IS_LONG, 0, "1")
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, periods, IS_ARRAY, 0, "[]")
	ZEND_ARG_OBJ_TYPE_MASK(0, at, DateTimeInterface, MAY_BE_STRING|MAY_BE_NULL, "null")
ZEND_END_ARG_INFO()

#define arginfo_class_Tally_Counter_decrement arginfo_class_Tally_Counter_increment

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Tally_Counter_incrementMany, 0, 3, IS_ARRAY, 0)
	ZEND_ARG_TYPE_INFO(0, ownerType, IS_STRING, 0)
	ZEND_ARG_TYPE_MASK(0, ownerId, MAY_BE_LONG|MAY_BE_STRING, NULL)
	ZEND_ARG_TYPE_INFO(0, amounts, IS_ARRAY, 0)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, periods, IS_ARRAY, 0, "[]")
	ZEND_ARG_OBJ_TYPE_MASK(0, at, DateTimeInterface, MAY_BE_STRING|MAY_BE_NULL, "null")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Tally_Counter_pending, 0, 3, IS_LONG, 0)
	ZEND_ARG_TYPE_INFO(0, ownerType, IS_STRING, 0)
	ZEND_ARG_TYPE_MASK(0, ownerId, MAY_BE_LONG|MAY_BE_STRING, NULL)
	ZEND_ARG_TYPE_INFO(0, key, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, period, IS_STRING, 1, "null")
	ZEND_ARG_OBJ_TYPE_MASK(0, at, DateTimeInterface, MAY_BE_STRING|MAY_BE_NULL, "null")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Tally_Counter_pendingMany, 0, 3, IS_ARRAY, 0)
	ZEND_ARG_TYPE_INFO(0, ownerType, IS_STRING, 0)
	ZEND_ARG_TYPE_MASK(0, ownerId, MAY_BE_LONG|MAY_BE_STRING, NULL)
	ZEND_ARG_TYPE_INFO(0, keys, IS_ARRAY, 0)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, period, IS_STRING, 1, "null")
	ZEND_ARG_OBJ_TYPE_MASK(0, at, DateTimeInterface, MAY_BE_STRING|MAY_BE_NULL, "null")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Tally_Counter_pendingAll, 0, 2, IS_ARRAY, 0)
	ZEND_ARG_TYPE_INFO(0, ownerType, IS_STRING, 0)
	ZEND_ARG_TYPE_MASK(0, ownerId, MAY_BE_LONG|MAY_BE_STRING, NULL)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Tally_Counter_forget, 0, 2, IS_LONG, 0)
	ZEND_ARG_TYPE_INFO(0, ownerType, IS_STRING, 0)
	ZEND_ARG_TYPE_MASK(0, ownerId, MAY_BE_LONG|MAY_BE_STRING, NULL)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, key, IS_STRING, 1, "null")
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, period, IS_STRING, 1, "null")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Tally_Counter_incrementKey, 0, 1, IS_LONG, 0)
	ZEND_ARG_TYPE_INFO(0, key, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, amount, IS_LONG, 0, "1")
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, ttl, IS_LONG, 0, "0")
ZEND_END_ARG_INFO()

#define arginfo_class_Tally_Counter_decrementKey arginfo_class_Tally_Counter_incrementKey

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Tally_Counter_getKey, 0, 1, IS_LONG, 0)
	ZEND_ARG_TYPE_INFO(0, key, IS_STRING, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Tally_Counter_getKeys, 0, 1, IS_ARRAY, 0)
	ZEND_ARG_TYPE_INFO(0, keys, IS_ARRAY, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Tally_Counter_deleteKeys, 0, 1, IS_LONG, 0)
	ZEND_ARG_TYPE_INFO(0, keys, IS_ARRAY, 0)
ZEND_END_ARG_INFO()

#define arginfo_class_Tally_Counter_ttl arginfo_class_Tally_Counter_getKey

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Tally_Counter_ensureTtl, 0, 2, IS_ARRAY, 0)
	ZEND_ARG_TYPE_INFO(0, pattern, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO(0, ttl, IS_LONG, 0)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, options, IS_ARRAY, 0, "[]")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Tally_Counter_rateLimit, 0, 3, IS_ARRAY, 0)
	ZEND_ARG_TYPE_INFO(0, name, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO(0, limit, IS_LONG, 0)
	ZEND_ARG_TYPE_INFO(0, window, IS_LONG, 0)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, options, IS_ARRAY, 0, "[]")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Tally_Counter_resetRateLimit, 0, 1, _IS_BOOL, 0)
	ZEND_ARG_TYPE_INFO(0, name, IS_STRING, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Tally_Counter_getPrefix, 0, 0, IS_STRING, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Tally_Counter_flush, 0, 0, IS_LONG, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Tally_Counter_sync, 0, 1, IS_ARRAY, 0)
	ZEND_ARG_OBJ_TYPE_MASK(0, database, Tally\\Database|Tally\\Sink, 0, NULL)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, options, IS_ARRAY, 0, "[]")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Tally_Counter_failed, 0, 0, IS_ARRAY, 0)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, pattern, IS_STRING, 1, "null")
ZEND_END_ARG_INFO()

#define arginfo_class_Tally_Counter_retryFailed arginfo_class_Tally_Counter_failed

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Tally_Counter_get, 0, 4, IS_LONG, 0)
	ZEND_ARG_OBJ_TYPE_MASK(0, database, Tally\\Database|Tally\\Sink, 0, NULL)
	ZEND_ARG_TYPE_INFO(0, ownerType, IS_STRING, 0)
	ZEND_ARG_TYPE_MASK(0, ownerId, MAY_BE_LONG|MAY_BE_STRING, NULL)
	ZEND_ARG_TYPE_INFO(0, key, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, period, IS_STRING, 1, "null")
	ZEND_ARG_OBJ_TYPE_MASK(0, at, DateTimeInterface, MAY_BE_STRING|MAY_BE_NULL, "null")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Tally_Counter_getMany, 0, 4, IS_ARRAY, 0)
	ZEND_ARG_OBJ_TYPE_MASK(0, database, Tally\\Database|Tally\\Sink, 0, NULL)
	ZEND_ARG_TYPE_INFO(0, ownerType, IS_STRING, 0)
	ZEND_ARG_TYPE_MASK(0, ownerId, MAY_BE_LONG|MAY_BE_STRING, NULL)
	ZEND_ARG_TYPE_INFO(0, keys, IS_ARRAY, 0)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, period, IS_STRING, 1, "null")
	ZEND_ARG_OBJ_TYPE_MASK(0, at, DateTimeInterface, MAY_BE_STRING|MAY_BE_NULL, "null")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Tally_Counter_getAll, 0, 3, IS_ARRAY, 0)
	ZEND_ARG_OBJ_TYPE_MASK(0, database, Tally\\Database|Tally\\Sink, 0, NULL)
	ZEND_ARG_TYPE_INFO(0, ownerType, IS_STRING, 0)
	ZEND_ARG_TYPE_MASK(0, ownerId, MAY_BE_LONG|MAY_BE_STRING, NULL)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Tally_Counter_history, 0, 5, IS_ARRAY, 0)
	ZEND_ARG_OBJ_TYPE_MASK(0, database, Tally\\Database|Tally\\Sink, 0, NULL)
	ZEND_ARG_TYPE_INFO(0, ownerType, IS_STRING, 0)
	ZEND_ARG_TYPE_MASK(0, ownerId, MAY_BE_LONG|MAY_BE_STRING, NULL)
	ZEND_ARG_TYPE_INFO(0, key, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO(0, period, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, periods, IS_LONG, 0, "12")
	ZEND_ARG_OBJ_TYPE_MASK(0, at, DateTimeInterface, MAY_BE_STRING|MAY_BE_NULL, "null")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Tally_Counter_sum, 0, 5, IS_LONG, 0)
	ZEND_ARG_OBJ_TYPE_MASK(0, database, Tally\\Database|Tally\\Sink, 0, NULL)
	ZEND_ARG_TYPE_INFO(0, ownerType, IS_STRING, 0)
	ZEND_ARG_TYPE_MASK(0, ownerId, MAY_BE_LONG|MAY_BE_STRING, NULL)
	ZEND_ARG_TYPE_INFO(0, key, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO(0, period, IS_STRING, 0)
	ZEND_ARG_OBJ_TYPE_MASK(0, from, DateTimeInterface, MAY_BE_STRING|MAY_BE_NULL, "null")
	ZEND_ARG_OBJ_TYPE_MASK(0, to, DateTimeInterface, MAY_BE_STRING|MAY_BE_NULL, "null")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Tally_Counter_getForMany, 0, 4, IS_ARRAY, 0)
	ZEND_ARG_OBJ_TYPE_MASK(0, database, Tally\\Database|Tally\\Sink, 0, NULL)
	ZEND_ARG_TYPE_INFO(0, ownerType, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO(0, ownerIds, IS_ARRAY, 0)
	ZEND_ARG_TYPE_INFO(0, keys, IS_ARRAY, 0)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, period, IS_STRING, 1, "null")
	ZEND_ARG_OBJ_TYPE_MASK(0, at, DateTimeInterface, MAY_BE_STRING|MAY_BE_NULL, "null")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Tally_Counter_top, 0, 3, IS_ARRAY, 0)
	ZEND_ARG_OBJ_TYPE_MASK(0, database, Tally\\Database|Tally\\Sink, 0, NULL)
	ZEND_ARG_TYPE_INFO(0, ownerType, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO(0, key, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, limit, IS_LONG, 0, "10")
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, period, IS_STRING, 1, "null")
	ZEND_ARG_OBJ_TYPE_MASK(0, at, DateTimeInterface, MAY_BE_STRING|MAY_BE_NULL, "null")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Tally_Counter_topKeys, 0, 3, IS_ARRAY, 0)
	ZEND_ARG_OBJ_TYPE_MASK(0, database, Tally\\Database|Tally\\Sink, 0, NULL)
	ZEND_ARG_TYPE_INFO(0, ownerType, IS_STRING, 0)
	ZEND_ARG_TYPE_MASK(0, ownerId, MAY_BE_LONG|MAY_BE_STRING, NULL)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, limit, IS_LONG, 0, "10")
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, period, IS_STRING, 1, "null")
	ZEND_ARG_OBJ_TYPE_MASK(0, at, DateTimeInterface, MAY_BE_STRING|MAY_BE_NULL, "null")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Tally_Counter_addUnique, 0, 4, _IS_BOOL, 0)
	ZEND_ARG_TYPE_INFO(0, ownerType, IS_STRING, 0)
	ZEND_ARG_TYPE_MASK(0, ownerId, MAY_BE_LONG|MAY_BE_STRING, NULL)
	ZEND_ARG_TYPE_INFO(0, key, IS_STRING, 0)
	ZEND_ARG_TYPE_MASK(0, members, MAY_BE_STRING|MAY_BE_LONG|MAY_BE_ARRAY, NULL)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, periods, IS_ARRAY, 0, "[\'day\']")
	ZEND_ARG_OBJ_TYPE_MASK(0, at, DateTimeInterface, MAY_BE_STRING|MAY_BE_NULL, "null")
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, grace, IS_LONG, 0, "172800")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Tally_Counter_uniques, 0, 3, IS_LONG, 0)
	ZEND_ARG_TYPE_INFO(0, ownerType, IS_STRING, 0)
	ZEND_ARG_TYPE_MASK(0, ownerId, MAY_BE_LONG|MAY_BE_STRING, NULL)
	ZEND_ARG_TYPE_INFO(0, key, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, period, IS_STRING, 0, "\'day\'")
	ZEND_ARG_OBJ_TYPE_MASK(0, at, DateTimeInterface, MAY_BE_STRING|MAY_BE_NULL, "null")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Tally_Counter_uniquesBetween, 0, 6, IS_ARRAY, 0)
	ZEND_ARG_TYPE_INFO(0, ownerType, IS_STRING, 0)
	ZEND_ARG_TYPE_MASK(0, ownerId, MAY_BE_LONG|MAY_BE_STRING, NULL)
	ZEND_ARG_TYPE_INFO(0, key, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO(0, period, IS_STRING, 0)
	ZEND_ARG_OBJ_TYPE_MASK(0, from, DateTimeInterface, MAY_BE_STRING, NULL)
	ZEND_ARG_OBJ_TYPE_MASK(0, to, DateTimeInterface, MAY_BE_STRING, NULL)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Tally_Counter_uniqueEstimates, 0, 0, IS_ARRAY, 0)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, pattern, IS_STRING, 1, "null")
	ZEND_ARG_OBJ_TYPE_MASK(0, today, DateTimeInterface, MAY_BE_STRING|MAY_BE_NULL, "null")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_INFO_EX(arginfo_class_Tally_Database___construct, 0, 0, 1)
	ZEND_ARG_TYPE_INFO(0, options, IS_ARRAY, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Tally_Database_createTables, 0, 0, IS_VOID, 0)
ZEND_END_ARG_INFO()

#define arginfo_class_Tally_Database_getDriver arginfo_class_Tally_Counter_getPrefix

#define arginfo_class_Tally_Database_getTable arginfo_class_Tally_Counter_getPrefix

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Tally_Database_schema, 0, 1, IS_ARRAY, 0)
	ZEND_ARG_TYPE_INFO(0, driver, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, table, IS_STRING, 0, "\"model_counters\"")
ZEND_END_ARG_INFO()

#define arginfo_class_Tally_Database_upgradeSchema arginfo_class_Tally_Database_schema

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Tally_Sink_beginRun, 0, 1, IS_LONG, 0)
	ZEND_ARG_TYPE_INFO(0, name, IS_STRING, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Tally_Sink_writeBatch, 0, 3, IS_VOID, 0)
	ZEND_ARG_TYPE_INFO(0, name, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO(0, fence, IS_LONG, 0)
	ZEND_ARG_TYPE_INFO(0, rows, IS_ARRAY, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Tally_Sink_read, 0, 3, IS_ARRAY, 0)
	ZEND_ARG_TYPE_INFO(0, ownerType, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO(0, ownerId, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO(0, keys, IS_ARRAY, 1)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, period, IS_STRING, 0, "\'\'")
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, from, IS_STRING, 0, "\'1970-01-01\'")
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, to, IS_STRING, 0, "\'1970-01-01\'")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Tally_Sink_committed, 0, 3, _IS_BOOL, 0)
	ZEND_ARG_TYPE_INFO(0, ownerType, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO(0, ownerId, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO(0, seq, IS_LONG, 0)
ZEND_END_ARG_INFO()

#define arginfo_class_Tally_NarrowingSink_tryBatch arginfo_class_Tally_Sink_writeBatch

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Tally_BulkReadSink_readMany, 0, 3, IS_ARRAY, 0)
	ZEND_ARG_TYPE_INFO(0, ownerType, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO(0, ownerIds, IS_ARRAY, 0)
	ZEND_ARG_TYPE_INFO(0, keys, IS_ARRAY, 1)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, period, IS_STRING, 0, "\'\'")
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, from, IS_STRING, 0, "\'1970-01-01\'")
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, to, IS_STRING, 0, "\'1970-01-01\'")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Tally_BulkReadSink_top, 0, 6, IS_ARRAY, 0)
	ZEND_ARG_TYPE_INFO(0, ownerType, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO(0, ownerId, IS_STRING, 1)
	ZEND_ARG_TYPE_INFO(0, key, IS_STRING, 1)
	ZEND_ARG_TYPE_INFO(0, period, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO(0, start, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO(0, limit, IS_LONG, 0)
ZEND_END_ARG_INFO()


ZEND_METHOD(Tally_Counter, __construct);
ZEND_METHOD(Tally_Counter, increment);
ZEND_METHOD(Tally_Counter, decrement);
ZEND_METHOD(Tally_Counter, incrementMany);
ZEND_METHOD(Tally_Counter, pending);
ZEND_METHOD(Tally_Counter, pendingMany);
ZEND_METHOD(Tally_Counter, pendingAll);
ZEND_METHOD(Tally_Counter, forget);
ZEND_METHOD(Tally_Counter, incrementKey);
ZEND_METHOD(Tally_Counter, decrementKey);
ZEND_METHOD(Tally_Counter, getKey);
ZEND_METHOD(Tally_Counter, getKeys);
ZEND_METHOD(Tally_Counter, deleteKeys);
ZEND_METHOD(Tally_Counter, ttl);
ZEND_METHOD(Tally_Counter, ensureTtl);
ZEND_METHOD(Tally_Counter, rateLimit);
ZEND_METHOD(Tally_Counter, resetRateLimit);
ZEND_METHOD(Tally_Counter, getPrefix);
ZEND_METHOD(Tally_Counter, flush);
ZEND_METHOD(Tally_Counter, sync);
ZEND_METHOD(Tally_Counter, failed);
ZEND_METHOD(Tally_Counter, retryFailed);
ZEND_METHOD(Tally_Counter, get);
ZEND_METHOD(Tally_Counter, getMany);
ZEND_METHOD(Tally_Counter, getAll);
ZEND_METHOD(Tally_Counter, history);
ZEND_METHOD(Tally_Counter, sum);
ZEND_METHOD(Tally_Counter, getForMany);
ZEND_METHOD(Tally_Counter, top);
ZEND_METHOD(Tally_Counter, topKeys);
ZEND_METHOD(Tally_Counter, addUnique);
ZEND_METHOD(Tally_Counter, uniques);
ZEND_METHOD(Tally_Counter, uniquesBetween);
ZEND_METHOD(Tally_Counter, uniqueEstimates);
ZEND_METHOD(Tally_Database, __construct);
ZEND_METHOD(Tally_Database, createTables);
ZEND_METHOD(Tally_Database, getDriver);
ZEND_METHOD(Tally_Database, getTable);
ZEND_METHOD(Tally_Database, schema);
ZEND_METHOD(Tally_Database, upgradeSchema);


static const zend_function_entry class_Tally_Counter_methods[] = {
	ZEND_ME(Tally_Counter, __construct, arginfo_class_Tally_Counter___construct, ZEND_ACC_PUBLIC)
	ZEND_ME(Tally_Counter, increment, arginfo_class_Tally_Counter_increment, ZEND_ACC_PUBLIC)
	ZEND_ME(Tally_Counter, decrement, arginfo_class_Tally_Counter_decrement, ZEND_ACC_PUBLIC)
	ZEND_ME(Tally_Counter, incrementMany, arginfo_class_Tally_Counter_incrementMany, ZEND_ACC_PUBLIC)
	ZEND_ME(Tally_Counter, pending, arginfo_class_Tally_Counter_pending, ZEND_ACC_PUBLIC)
	ZEND_ME(Tally_Counter, pendingMany, arginfo_class_Tally_Counter_pendingMany, ZEND_ACC_PUBLIC)
	ZEND_ME(Tally_Counter, pendingAll, arginfo_class_Tally_Counter_pendingAll, ZEND_ACC_PUBLIC)
	ZEND_ME(Tally_Counter, forget, arginfo_class_Tally_Counter_forget, ZEND_ACC_PUBLIC)
	ZEND_ME(Tally_Counter, incrementKey, arginfo_class_Tally_Counter_incrementKey, ZEND_ACC_PUBLIC)
	ZEND_ME(Tally_Counter, decrementKey, arginfo_class_Tally_Counter_decrementKey, ZEND_ACC_PUBLIC)
	ZEND_ME(Tally_Counter, getKey, arginfo_class_Tally_Counter_getKey, ZEND_ACC_PUBLIC)
	ZEND_ME(Tally_Counter, getKeys, arginfo_class_Tally_Counter_getKeys, ZEND_ACC_PUBLIC)
	ZEND_ME(Tally_Counter, deleteKeys, arginfo_class_Tally_Counter_deleteKeys, ZEND_ACC_PUBLIC)
	ZEND_ME(Tally_Counter, ttl, arginfo_class_Tally_Counter_ttl, ZEND_ACC_PUBLIC)
	ZEND_ME(Tally_Counter, ensureTtl, arginfo_class_Tally_Counter_ensureTtl, ZEND_ACC_PUBLIC)
	ZEND_ME(Tally_Counter, rateLimit, arginfo_class_Tally_Counter_rateLimit, ZEND_ACC_PUBLIC)
	ZEND_ME(Tally_Counter, resetRateLimit, arginfo_class_Tally_Counter_resetRateLimit, ZEND_ACC_PUBLIC)
	ZEND_ME(Tally_Counter, getPrefix, arginfo_class_Tally_Counter_getPrefix, ZEND_ACC_PUBLIC)
	ZEND_ME(Tally_Counter, flush, arginfo_class_Tally_Counter_flush, ZEND_ACC_PUBLIC)
	ZEND_ME(Tally_Counter, sync, arginfo_class_Tally_Counter_sync, ZEND_ACC_PUBLIC)
	ZEND_ME(Tally_Counter, failed, arginfo_class_Tally_Counter_failed, ZEND_ACC_PUBLIC)
	ZEND_ME(Tally_Counter, retryFailed, arginfo_class_Tally_Counter_retryFailed, ZEND_ACC_PUBLIC)
	ZEND_ME(Tally_Counter, get, arginfo_class_Tally_Counter_get, ZEND_ACC_PUBLIC)
	ZEND_ME(Tally_Counter, getMany, arginfo_class_Tally_Counter_getMany, ZEND_ACC_PUBLIC)
	ZEND_ME(Tally_Counter, getAll, arginfo_class_Tally_Counter_getAll, ZEND_ACC_PUBLIC)
	ZEND_ME(Tally_Counter, history, arginfo_class_Tally_Counter_history, ZEND_ACC_PUBLIC)
	ZEND_ME(Tally_Counter, sum, arginfo_class_Tally_Counter_sum, ZEND_ACC_PUBLIC)
	ZEND_ME(Tally_Counter, getForMany, arginfo_class_Tally_Counter_getForMany, ZEND_ACC_PUBLIC)
	ZEND_ME(Tally_Counter, top, arginfo_class_Tally_Counter_top, ZEND_ACC_PUBLIC)
	ZEND_ME(Tally_Counter, topKeys, arginfo_class_Tally_Counter_topKeys, ZEND_ACC_PUBLIC)
	ZEND_ME(Tally_Counter, addUnique, arginfo_class_Tally_Counter_addUnique, ZEND_ACC_PUBLIC)
	ZEND_ME(Tally_Counter, uniques, arginfo_class_Tally_Counter_uniques, ZEND_ACC_PUBLIC)
	ZEND_ME(Tally_Counter, uniquesBetween, arginfo_class_Tally_Counter_uniquesBetween, ZEND_ACC_PUBLIC)
	ZEND_ME(Tally_Counter, uniqueEstimates, arginfo_class_Tally_Counter_uniqueEstimates, ZEND_ACC_PUBLIC)
	ZEND_FE_END
};


static const zend_function_entry class_Tally_Database_methods[] = {
	ZEND_ME(Tally_Database, __construct, arginfo_class_Tally_Database___construct, ZEND_ACC_PUBLIC)
	ZEND_ME(Tally_Database, createTables, arginfo_class_Tally_Database_createTables, ZEND_ACC_PUBLIC)
	ZEND_ME(Tally_Database, getDriver, arginfo_class_Tally_Database_getDriver, ZEND_ACC_PUBLIC)
	ZEND_ME(Tally_Database, getTable, arginfo_class_Tally_Database_getTable, ZEND_ACC_PUBLIC)
	ZEND_ME(Tally_Database, schema, arginfo_class_Tally_Database_schema, ZEND_ACC_PUBLIC|ZEND_ACC_STATIC)
	ZEND_ME(Tally_Database, upgradeSchema, arginfo_class_Tally_Database_upgradeSchema, ZEND_ACC_PUBLIC|ZEND_ACC_STATIC)
	ZEND_FE_END
};


static const zend_function_entry class_Tally_Sink_methods[] = {
	ZEND_ABSTRACT_ME_WITH_FLAGS(Tally_Sink, beginRun, arginfo_class_Tally_Sink_beginRun, ZEND_ACC_PUBLIC|ZEND_ACC_ABSTRACT)
	ZEND_ABSTRACT_ME_WITH_FLAGS(Tally_Sink, writeBatch, arginfo_class_Tally_Sink_writeBatch, ZEND_ACC_PUBLIC|ZEND_ACC_ABSTRACT)
	ZEND_ABSTRACT_ME_WITH_FLAGS(Tally_Sink, read, arginfo_class_Tally_Sink_read, ZEND_ACC_PUBLIC|ZEND_ACC_ABSTRACT)
	ZEND_ABSTRACT_ME_WITH_FLAGS(Tally_Sink, committed, arginfo_class_Tally_Sink_committed, ZEND_ACC_PUBLIC|ZEND_ACC_ABSTRACT)
	ZEND_FE_END
};


static const zend_function_entry class_Tally_NarrowingSink_methods[] = {
	ZEND_ABSTRACT_ME_WITH_FLAGS(Tally_NarrowingSink, tryBatch, arginfo_class_Tally_NarrowingSink_tryBatch, ZEND_ACC_PUBLIC|ZEND_ACC_ABSTRACT)
	ZEND_FE_END
};


static const zend_function_entry class_Tally_BulkReadSink_methods[] = {
	ZEND_ABSTRACT_ME_WITH_FLAGS(Tally_BulkReadSink, readMany, arginfo_class_Tally_BulkReadSink_readMany, ZEND_ACC_PUBLIC|ZEND_ACC_ABSTRACT)
	ZEND_ABSTRACT_ME_WITH_FLAGS(Tally_BulkReadSink, top, arginfo_class_Tally_BulkReadSink_top, ZEND_ACC_PUBLIC|ZEND_ACC_ABSTRACT)
	ZEND_FE_END
};


static const zend_function_entry class_Tally_Exception_methods[] = {
	ZEND_FE_END
};


static const zend_function_entry class_Tally_InvalidArgumentException_methods[] = {
	ZEND_FE_END
};


static const zend_function_entry class_Tally_ConnectionException_methods[] = {
	ZEND_FE_END
};


static const zend_function_entry class_Tally_AuthenticationException_methods[] = {
	ZEND_FE_END
};


static const zend_function_entry class_Tally_ReplicationException_methods[] = {
	ZEND_FE_END
};


static const zend_function_entry class_Tally_ServerException_methods[] = {
	ZEND_FE_END
};


static const zend_function_entry class_Tally_WrongTypeException_methods[] = {
	ZEND_FE_END
};


static const zend_function_entry class_Tally_OverflowException_methods[] = {
	ZEND_FE_END
};


static const zend_function_entry class_Tally_DatabaseException_methods[] = {
	ZEND_FE_END
};


static const zend_function_entry class_Tally_RejectedException_methods[] = {
	ZEND_FE_END
};

static zend_class_entry *register_class_Tally_Counter(void)
{
	zend_class_entry ce, *class_entry;

	INIT_NS_CLASS_ENTRY(ce, "Tally", "Counter", class_Tally_Counter_methods);
	class_entry = zend_register_internal_class_ex(&ce, NULL);
	class_entry->ce_flags |= ZEND_ACC_FINAL|ZEND_ACC_NO_DYNAMIC_PROPERTIES|ZEND_ACC_NOT_SERIALIZABLE;


	zend_add_parameter_attribute(zend_hash_str_find_ptr(&class_entry->function_table, "__construct", sizeof("__construct") - 1), 0, ZSTR_KNOWN(ZEND_STR_SENSITIVEPARAMETER), 0);

	return class_entry;
}

static zend_class_entry *register_class_Tally_Database(void)
{
	zend_class_entry ce, *class_entry;

	INIT_NS_CLASS_ENTRY(ce, "Tally", "Database", class_Tally_Database_methods);
	class_entry = zend_register_internal_class_ex(&ce, NULL);
	class_entry->ce_flags |= ZEND_ACC_FINAL|ZEND_ACC_NO_DYNAMIC_PROPERTIES|ZEND_ACC_NOT_SERIALIZABLE;


	zend_add_parameter_attribute(zend_hash_str_find_ptr(&class_entry->function_table, "__construct", sizeof("__construct") - 1), 0, ZSTR_KNOWN(ZEND_STR_SENSITIVEPARAMETER), 0);

	return class_entry;
}

static zend_class_entry *register_class_Tally_Sink(void)
{
	zend_class_entry ce, *class_entry;

	INIT_NS_CLASS_ENTRY(ce, "Tally", "Sink", class_Tally_Sink_methods);
	class_entry = zend_register_internal_interface(&ce);

	return class_entry;
}

static zend_class_entry *register_class_Tally_NarrowingSink(zend_class_entry *class_entry_Tally_Sink)
{
	zend_class_entry ce, *class_entry;

	INIT_NS_CLASS_ENTRY(ce, "Tally", "NarrowingSink", class_Tally_NarrowingSink_methods);
	class_entry = zend_register_internal_interface(&ce);
	zend_class_implements(class_entry, 1, class_entry_Tally_Sink);

	return class_entry;
}

static zend_class_entry *register_class_Tally_BulkReadSink(zend_class_entry *class_entry_Tally_Sink)
{
	zend_class_entry ce, *class_entry;

	INIT_NS_CLASS_ENTRY(ce, "Tally", "BulkReadSink", class_Tally_BulkReadSink_methods);
	class_entry = zend_register_internal_interface(&ce);
	zend_class_implements(class_entry, 1, class_entry_Tally_Sink);

	return class_entry;
}

static zend_class_entry *register_class_Tally_Exception(zend_class_entry *class_entry_RuntimeException)
{
	zend_class_entry ce, *class_entry;

	INIT_NS_CLASS_ENTRY(ce, "Tally", "Exception", class_Tally_Exception_methods);
	class_entry = zend_register_internal_class_ex(&ce, class_entry_RuntimeException);

	return class_entry;
}

static zend_class_entry *register_class_Tally_InvalidArgumentException(zend_class_entry *class_entry_Tally_Exception)
{
	zend_class_entry ce, *class_entry;

	INIT_NS_CLASS_ENTRY(ce, "Tally", "InvalidArgumentException", class_Tally_InvalidArgumentException_methods);
	class_entry = zend_register_internal_class_ex(&ce, class_entry_Tally_Exception);

	return class_entry;
}

static zend_class_entry *register_class_Tally_ConnectionException(zend_class_entry *class_entry_Tally_Exception)
{
	zend_class_entry ce, *class_entry;

	INIT_NS_CLASS_ENTRY(ce, "Tally", "ConnectionException", class_Tally_ConnectionException_methods);
	class_entry = zend_register_internal_class_ex(&ce, class_entry_Tally_Exception);

	return class_entry;
}

static zend_class_entry *register_class_Tally_AuthenticationException(zend_class_entry *class_entry_Tally_ConnectionException)
{
	zend_class_entry ce, *class_entry;

	INIT_NS_CLASS_ENTRY(ce, "Tally", "AuthenticationException", class_Tally_AuthenticationException_methods);
	class_entry = zend_register_internal_class_ex(&ce, class_entry_Tally_ConnectionException);

	return class_entry;
}

static zend_class_entry *register_class_Tally_ReplicationException(zend_class_entry *class_entry_Tally_ConnectionException)
{
	zend_class_entry ce, *class_entry;

	INIT_NS_CLASS_ENTRY(ce, "Tally", "ReplicationException", class_Tally_ReplicationException_methods);
	class_entry = zend_register_internal_class_ex(&ce, class_entry_Tally_ConnectionException);

	return class_entry;
}

static zend_class_entry *register_class_Tally_ServerException(zend_class_entry *class_entry_Tally_Exception)
{
	zend_class_entry ce, *class_entry;

	INIT_NS_CLASS_ENTRY(ce, "Tally", "ServerException", class_Tally_ServerException_methods);
	class_entry = zend_register_internal_class_ex(&ce, class_entry_Tally_Exception);

	return class_entry;
}

static zend_class_entry *register_class_Tally_WrongTypeException(zend_class_entry *class_entry_Tally_ServerException)
{
	zend_class_entry ce, *class_entry;

	INIT_NS_CLASS_ENTRY(ce, "Tally", "WrongTypeException", class_Tally_WrongTypeException_methods);
	class_entry = zend_register_internal_class_ex(&ce, class_entry_Tally_ServerException);

	return class_entry;
}

static zend_class_entry *register_class_Tally_OverflowException(zend_class_entry *class_entry_Tally_ServerException)
{
	zend_class_entry ce, *class_entry;

	INIT_NS_CLASS_ENTRY(ce, "Tally", "OverflowException", class_Tally_OverflowException_methods);
	class_entry = zend_register_internal_class_ex(&ce, class_entry_Tally_ServerException);

	return class_entry;
}

static zend_class_entry *register_class_Tally_DatabaseException(zend_class_entry *class_entry_Tally_Exception)
{
	zend_class_entry ce, *class_entry;

	INIT_NS_CLASS_ENTRY(ce, "Tally", "DatabaseException", class_Tally_DatabaseException_methods);
	class_entry = zend_register_internal_class_ex(&ce, class_entry_Tally_Exception);

	return class_entry;
}

static zend_class_entry *register_class_Tally_RejectedException(zend_class_entry *class_entry_Tally_DatabaseException)
{
	zend_class_entry ce, *class_entry;

	INIT_NS_CLASS_ENTRY(ce, "Tally", "RejectedException", class_Tally_RejectedException_methods);
	class_entry = zend_register_internal_class_ex(&ce, class_entry_Tally_DatabaseException);

	return class_entry;
}
