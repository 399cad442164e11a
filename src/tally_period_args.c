/* Period arguments: see tally_period_args.h. */
#ifdef HAVE_CONFIG_H
# include "config.h"
#endif

#include "php.h"
#include "ext/date/php_date.h"
#include "zend_interfaces.h"

#include "php_tally.h"
#include "tally_period_args.h"
#include "tally_exceptions.h"

bool tally_period_arg(const zend_string *name, const char *param, bool required, tally_period *out)
{
    int p = name ? tally_period_parse(ZSTR_VAL(name), ZSTR_LEN(name)) : TALLY_PERIOD_NONE;
    if (p < 0 || (required && p == TALLY_PERIOD_NONE)) {
        tally_throw_invalid("%s must be %s'day', 'week', 'month', 'quarter' or 'year', got '%s'", param,
                            required ? "" : "null, '' (the lifetime counter), ", name ? ZSTR_VAL(name) : "");
        return false;
    }
    *out = (tally_period)p;
    return true;
}

static bool day_of(const char *s, size_t len, const char *param, int32_t *day)
{
    int32_t d = tally_period_parse_date(s, len);
    if (d < 0) {
        tally_throw_invalid("%s must be a date 'Y-m-d' from 1970-01-01 to 9999-12-31, got '%.*s'", param,
                            (int)(len > 40 ? 40 : len), s);
        return false;
    }
    *day = d;
    return true;
}

/* Today in PHP's default time zone. It changes at most once a second, so the last answer is
 * kept with the second and the zone (by name) it was for: formatting a date costs more than
 * the rest of an increment. */
static bool today(const char *param, int32_t *day)
{
    time_t now = (time_t)php_time();
    timelib_tzinfo *tz = get_timezone_info();
    const char *zone = tz && tz->name ? tz->name : "";
    size_t zone_len = strlen(zone);
    zend_string *s;
    bool ok;

    if (TALLY_G(today_sec) == (zend_long)now && zone_len > 0 && strcmp(TALLY_G(today_zone), zone) == 0) {
        *day = TALLY_G(today_day);
        return true;
    }
    s = php_format_date("Y-m-d", 5, now, 1);
    ok = day_of(ZSTR_VAL(s), ZSTR_LEN(s), param, day);
    zend_string_release(s);
    if (ok && zone_len > 0 && zone_len < sizeof(TALLY_G(today_zone))) {
        memcpy(TALLY_G(today_zone), zone, zone_len + 1);
        TALLY_G(today_sec) = (zend_long)now;
        TALLY_G(today_day) = *day;
    }
    return ok;
}

bool tally_day_arg(zval *at, const char *param, int32_t *day)
{
    zend_string *s;
    bool ok;
    if (!at || Z_TYPE_P(at) == IS_NULL) {
        return today(param, day);
    } else if (Z_TYPE_P(at) == IS_STRING) {
        return day_of(Z_STRVAL_P(at), Z_STRLEN_P(at), param, day);
    } else if (Z_TYPE_P(at) == IS_OBJECT && instanceof_function(Z_OBJCE_P(at), php_date_get_interface_ce())) {
        zval fmt, ret;
        ZVAL_STRINGL(&fmt, "Y-m-d", 5);
        zend_call_method_with_1_params(Z_OBJ_P(at), Z_OBJCE_P(at), NULL, "format", &ret, &fmt);
        zval_ptr_dtor(&fmt);
        if (EG(exception)) return false;
        if (Z_TYPE(ret) != IS_STRING) {
            zval_ptr_dtor(&ret);
            tally_throw_invalid("%s: format('Y-m-d') did not return a string", param);
            return false;
        }
        s = Z_STR(ret);
    } else {
        tally_throw_invalid("%s must be null, a DateTimeInterface or a 'Y-m-d' string, %s given", param,
                            zend_zval_type_name(at));
        return false;
    }
    ok = day_of(ZSTR_VAL(s), ZSTR_LEN(s), param, day);
    zend_string_release(s);
    return ok;
}

bool tally_period_start_arg(tally_period p, int32_t day, const char *param, int32_t *start)
{
    char date[TALLY_PERIOD_DATE_LEN + 1], first[TALLY_PERIOD_DATE_LEN + 1];
    *start = tally_period_start(p, day);
    if (*start >= 0) return true;
    tally_period_date(day, date);
    tally_period_date(*start, first);
    tally_throw_invalid("%s: the %s of %s starts on %s, and no period may start before 1970-01-01", param,
                        tally_period_name(p), date, first);
    return false;
}

bool tally_targets_arg(HashTable *periods, int32_t day, tally_target out[TALLY_TARGETS_MAX], size_t *n)
{
    zval *v;
    *n = 0;
    if (!periods) return true;
    if (zend_hash_num_elements(periods) > TALLY_TARGETS_MAX) {
        tally_throw_invalid("periods may name the lifetime counter ('') and each period once: at most %d names",
                            TALLY_TARGETS_MAX);
        return false;
    }
    ZEND_HASH_FOREACH_VAL(periods, v) {
        tally_period p;
        ZVAL_DEREF(v);
        if (Z_TYPE_P(v) != IS_STRING) {
            tally_throw_invalid("periods must be a list of period names, found %s", zend_zval_type_name(v));
            return false;
        }
        if (!tally_period_arg(Z_STR_P(v), "each of periods", false, &p)) return false;
        for (size_t j = 0; j < *n; j++) {
            if (out[j].period == p) {
                tally_throw_invalid("periods lists '%s' twice", Z_STRVAL_P(v));
                return false;
            }
        }
        out[*n].period = p;
        if (!tally_period_start_arg(p, p == TALLY_PERIOD_NONE ? 0 : day, "at", &out[(*n)++].start)) return false;
    } ZEND_HASH_FOREACH_END();
    return true;
}

/* $periods and $at of a write: its targets (none: the lifetime counter). */
bool tally_write_targets(HashTable *periods, zval *at, tally_target *targets, size_t *n)
{
    int32_t day = 0;
    *n = 0;
    if (!periods || zend_hash_num_elements(periods) == 0) {
        if (at && Z_TYPE_P(at) != IS_NULL && !tally_day_arg(at, "at", &day)) return false;
        return true;
    }
    return tally_day_arg(at, "at", &day) && tally_targets_arg(periods, day, targets, n);
}

/* ?string $period and $at of a read: one target. */
bool tally_read_target(zend_string *period, zval *at, tally_target *target)
{
    int32_t day = 0;
    target->start = 0;
    if (!tally_period_arg(period, "period", false, &target->period)) return false;
    if (target->period == TALLY_PERIOD_NONE) return !at || Z_TYPE_P(at) == IS_NULL || tally_day_arg(at, "at", &day);
    return tally_day_arg(at, "at", &day) && tally_period_start_arg(target->period, day, "at", &target->start);
}

bool tally_periods_per_key(HashTable *periods)
{
    zval *v;
    ZEND_HASH_FOREACH_VAL(periods, v) {
        ZVAL_DEREF(v);
        if (Z_TYPE_P(v) == IS_ARRAY) return true;
    } ZEND_HASH_FOREACH_END();
    return false;
}

bool tally_key_targets_arg(HashTable *periods, zend_string *name, zend_ulong idx, int32_t day,
                           tally_target out[TALLY_TARGETS_MAX], size_t *n)
{
    zval *v = name ? zend_symtable_find(periods, name) : zend_hash_index_find(periods, idx);
    *n = 0;
    if (v) {
        ZVAL_DEREF(v);
        if (Z_TYPE_P(v) != IS_ARRAY) {
            tally_throw_invalid("periods maps each key to a list of period names; found %s", zend_zval_type_name(v));
            return false;
        }
        if (!tally_targets_arg(Z_ARRVAL_P(v), day, out, n)) return false;
    }
    if (*n == 0) {              /* not named, or no period: the lifetime counter */
        out[0].period = TALLY_PERIOD_NONE;
        out[0].start = 0;
        *n = 1;
    }
    return true;
}
