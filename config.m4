dnl Build of the tally extension (phpize): the PHP binding in src/, the engine in src/core/.
PHP_ARG_ENABLE([tally],
  [whether to enable tally support],
  [AS_HELP_STRING([--enable-tally], [Enable tally: Redis-backed counters with batch sync to SQL])],
  [no])

dnl Failpoints (tests that kill or fail a sync at named instants) exist only in test builds:
dnl a release build has none, so TALLY_FAILPOINTS in its environment does nothing.
PHP_ARG_ENABLE([tally-failpoints],
  [whether to compile tally's test failpoints in],
  [AS_HELP_STRING([--enable-tally-failpoints], [tally: compile in the failpoints the test suite uses (never in production)])],
  [no],
  [no])

if test "$PHP_TALLY" != "no"; then
  TALLY_CFLAGS="-Wall -Wextra -Werror=incompatible-pointer-types -DZEND_ENABLE_STATIC_TSRMLS_CACHE=1"
  if test "$PHP_TALLY_FAILPOINTS" != "no"; then
    TALLY_CFLAGS="$TALLY_CFLAGS -DTALLY_FAILPOINTS_ENABLED=1"
  fi
  PKG_CHECK_MODULES([HIREDIS], [hiredis >= 0.14])
  PHP_EVAL_INCLINE($HIREDIS_CFLAGS)
  PHP_EVAL_LIBLINE($HIREDIS_LIBS, TALLY_SHARED_LIBADD)
  dnl TLS to Redis: optional, only when hiredis_ssl (hiredis >= 1.0) and OpenSSL are there.
  dnl The core has no config.h: the switch is a -D flag for every file.
  TALLY_TLS_FLAG=""
  PKG_CHECK_MODULES([HIREDIS_SSL], [hiredis_ssl >= 1.0], [tally_tls=yes], [tally_tls=no])
  if test "$tally_tls" = "yes"; then
    PKG_CHECK_MODULES([OPENSSL], [openssl >= 1.1.1], [], [tally_tls=no])
  fi
  if test "$tally_tls" = "yes"; then
    PHP_EVAL_INCLINE($HIREDIS_SSL_CFLAGS $OPENSSL_CFLAGS)
    PHP_EVAL_LIBLINE($HIREDIS_SSL_LIBS $OPENSSL_LIBS, TALLY_SHARED_LIBADD)
    TALLY_TLS_FLAG="-DTALLY_HAVE_TLS=1"
  fi
  AC_MSG_CHECKING([whether tally supports TLS to Redis])
  AC_MSG_RESULT([$tally_tls])
  PKG_CHECK_MODULES([MARIADB], [libmariadb >= 3.0])
  PHP_EVAL_INCLINE($MARIADB_CFLAGS)
  PHP_EVAL_LIBLINE($MARIADB_LIBS, TALLY_SHARED_LIBADD)
  PKG_CHECK_MODULES([SQLITE3], [sqlite3 >= 3.24])
  PHP_EVAL_INCLINE($SQLITE3_CFLAGS)
  PHP_EVAL_LIBLINE($SQLITE3_LIBS, TALLY_SHARED_LIBADD)

  PHP_SUBST(TALLY_SHARED_LIBADD)
  AC_DEFINE(HAVE_TALLY, 1, [Whether tally is enabled])

  TALLY_CORE="src/core/util/tally_error.c src/core/util/tally_failpoint.c src/core/util/tally_proc.c src/core/util/tally_sha1.c \
    src/core/redis/tally_conn.c src/core/redis/tally_conn_io.c src/core/redis/tally_tls.c src/core/redis/tally_resp.c src/core/redis/tally_reply.c src/core/redis/tally_script.c src/core/redis/tally_pipe.c src/core/redis/tally_cluster.c src/core/redis/tally_cluster_route.c src/core/redis/tally_slot.c src/core/redis/tally_keyscan.c src/core/redis/tally_wait.c \
    src/core/sql/tally_schema.c src/core/sql/tally_sink.c src/core/sql/tally_sink_mysql.c src/core/sql/tally_sink_mysql_upsert.c src/core/sql/tally_sink_mysql_rank.c src/core/sql/tally_sink_sqlite.c src/core/sql/tally_sink_pool.c \
    src/core/sync/tally_sync.c src/core/sync/tally_claims.c src/core/sync/tally_lock.c src/core/sync/tally_fence.c src/core/sync/tally_read.c src/core/sync/tally_read_many.c src/core/sync/tally_setaside.c src/core/sync/tally_scan.c src/core/sync/tally_dryrun.c \
    src/core/tally_key.c src/core/tally_counter.c src/core/tally_ephemeral.c src/core/tally_buffer.c src/core/tally_ratelimit.c src/core/tally_unique.c"
  TALLY_BINDING="src/tally.c src/tally_exceptions.c src/tally_options.c src/tally_counter_class.c src/tally_counter_ephemeral.c src/tally_counter_sync.c src/tally_counter_many.c src/tally_counter_pending.c src/tally_counter_buffer.c src/tally_counter_ratelimit.c src/tally_counter_cleanup.c src/tally_database_class.c src/tally_php_sink.c src/tally_period_args.c src/tally_counter_unique.c"

  PHP_NEW_EXTENSION(tally, $TALLY_BINDING $TALLY_CORE, $ext_shared,, [$TALLY_CFLAGS $TALLY_TLS_FLAG])
  PHP_ADD_INCLUDE([$ext_srcdir/src])
  PHP_ADD_INCLUDE([$ext_srcdir/src/core])
  PHP_ADD_INCLUDE([$ext_srcdir/stubs])
  PHP_ADD_BUILD_DIR([$ext_builddir/src/core])
  PHP_ADD_BUILD_DIR([$ext_builddir/src/core/util])
  PHP_ADD_BUILD_DIR([$ext_builddir/src/core/redis])
  PHP_ADD_BUILD_DIR([$ext_builddir/src/core/sql])
  PHP_ADD_BUILD_DIR([$ext_builddir/src/core/sync])
fi
