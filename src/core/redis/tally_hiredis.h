/* hiredis, included once for the whole core, with the one place where its versions
 * differ. Supported: hiredis 0.14 and >= 1.0 (and the hiredict fork through its
 * <hiredis/...> shims), through the public API only.
 *
 *   TALLY_HIREDIS_1          1 when building against hiredis >= 1.0
 *   tally_hiredis_elements   the element count a reader's createArray receives (int in
 *                            0.14, size_t from 1.0)
 *   TALLY_HIREDIS_NAME       "hiredis", or "hiredict" for that fork (php --ri tally)
 *   TALLY_HIREDIS_TIMEOUT(c) whether the context's error is a timeout (1.0 names it
 *                            REDIS_ERR_TIMEOUT; both report a blocking socket's timeout as
 *                            an I/O error with errno EAGAIN)
 *   TALLY_HAVE_TLS           set by configure (-D) when hiredis_ssl and OpenSSL were found;
 *                            then <hiredis/hiredis_ssl.h> is included here (1.0 and later only)
 */
#ifndef TALLY_HIREDIS_H
#define TALLY_HIREDIS_H

#include <hiredis/hiredis.h>

#if !defined(HIREDIS_MAJOR)
#error "hiredis.h does not define HIREDIS_MAJOR: hiredis 0.14 or newer is needed"
#endif

#ifdef HIREDICT_MAJOR
#define TALLY_HIREDIS_NAME "hiredict"
#else
#define TALLY_HIREDIS_NAME "hiredis"
#endif

#if HIREDIS_MAJOR >= 1
#define TALLY_HIREDIS_1 1
typedef size_t tally_hiredis_elements;
#define TALLY_HIREDIS_TIMEOUT(c) ((c)->err == REDIS_ERR_TIMEOUT)
#else
#if HIREDIS_MINOR < 14
#error "hiredis 0.14 or newer is needed"
#endif
#define TALLY_HIREDIS_1 0
typedef int tally_hiredis_elements;
#define TALLY_HIREDIS_TIMEOUT(c) 0
#endif

#ifdef TALLY_HAVE_TLS
#if !TALLY_HIREDIS_1
#error "TLS needs hiredis >= 1.0 (hiredis_ssl)"
#endif
#ifdef HIREDICT_MAJOR
#include <hiredict/hiredict_ssl.h>   /* the shim's hiredis_ssl.h only maps the names */
#endif
#include <hiredis/hiredis_ssl.h>
#endif

#endif
