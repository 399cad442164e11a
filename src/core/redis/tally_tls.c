/* TLS to Redis: see tally_tls.h. */
#include "redis/tally_tls.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#define TALLY_TLS_HOW "install hiredis >= 1.0 with hiredis_ssl (Debian: libhiredict-dev from bookworm-backports) and OpenSSL (libssl-dev), then rebuild tally"

#ifdef TALLY_HAVE_TLS
static int set(const char *s)
{
    return s && *s;
}
#endif

tally_code tally_tls_check(const tally_tls_opts *o, int unix_socket, tally_error *err)
{
    if (!o->enabled) return TALLY_OK;
#ifndef TALLY_HAVE_TLS
    (void)unix_socket;
    return tally_error_set(err, TALLY_ERR_ARGUMENT,
                           "option 'tls': the tally extension was built without TLS support (hiredis %d.%d has no "
                           "hiredis_ssl): " TALLY_TLS_HOW, HIREDIS_MAJOR, HIREDIS_MINOR);
#else
    if (unix_socket) {
        return tally_error_set(err, TALLY_ERR_ARGUMENT,
                               "option 'tls' cannot be used with 'socket': Redis speaks TLS on TCP ports only");
    }
    if (set(o->cert_file) != set(o->key_file)) {
        return tally_error_set(err, TALLY_ERR_ARGUMENT, "options 'tls_cert_file' and 'tls_key_file' go together: %s given alone",
                               set(o->cert_file) ? "tls_cert_file" : "tls_key_file");
    }
    return TALLY_OK;
#endif
}

#ifndef TALLY_HAVE_TLS

const char *tally_tls_support(void)
{
    static char text[256];
    if (!text[0]) {
        snprintf(text, sizeof(text), "disabled (built with " TALLY_HIREDIS_NAME " %d.%d, without hiredis_ssl: " TALLY_TLS_HOW ")",
                 HIREDIS_MAJOR, HIREDIS_MINOR);
    }
    return text;
}

tally_code tally_tls_ctx_new(const tally_tls_opts *o, void **ctx, tally_error *err)
{
    *ctx = NULL;
    return tally_tls_check(o, 0, err);
}

void tally_tls_ctx_free(void *ctx)
{
    (void)ctx;
}

tally_code tally_tls_start(redisContext *rc, void *ctx, const tally_tls_opts *o, const char *host,
                           const char *where, double connect_timeout, void **ssl, tally_error *err)
{
    (void)rc, (void)ctx, (void)host, (void)where, (void)connect_timeout;
    *ssl = NULL;
    return tally_tls_check(o, 0, err);
}

ssize_t tally_tls_read(void *ssl, char *buf, size_t n)
{
    (void)ssl, (void)buf, (void)n;
    errno = ENOTSUP;
    return -1;
}

ssize_t tally_tls_write(void *ssl, const char *buf, size_t n)
{
    (void)ssl, (void)buf, (void)n;
    errno = ENOTSUP;
    return -1;
}

size_t tally_tls_pending(void *ssl)
{
    (void)ssl;
    return 0;
}

void tally_tls_clear(void)
{
}

const char *tally_tls_reason(void *ssl, int fresh, char *buf, size_t n)
{
    (void)ssl, (void)fresh;
    if (n > 0) buf[0] = '\0';
    return buf;
}

#else /* TALLY_HAVE_TLS */

#include <arpa/inet.h>
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

const char *tally_tls_support(void)
{
    static char text[96];
    if (!text[0]) snprintf(text, sizeof(text), "enabled (OpenSSL %s)", OpenSSL_version(OPENSSL_VERSION_STRING));
    return text;
}

/* The newest OpenSSL error as "what: reason", or "" when the queue is empty. */
static const char *ssl_error(char *buf, size_t n)
{
    unsigned long e = ERR_peek_last_error();
    const char *r = e ? ERR_reason_error_string(e) : NULL;
    snprintf(buf, n, "%s", r ? r : "");
    return buf;
}

/* Marks (as the session's app data) that the server asked for a client certificate. */
static char cert_requested_mark;

static int cert_requested(SSL *ssl, X509 **x509, EVP_PKEY **pkey)
{
    (void)x509, (void)pkey;
    SSL_set_app_data(ssl, &cert_requested_mark);
    return 0;   /* no certificate: the handshake goes on without one */
}

static tally_code file_error(const char *option, const char *path, tally_error *err)
{
    char why[160];
    if (access(path, R_OK) != 0) {
        snprintf(why, sizeof(why), "%s", strerror(errno));
    } else {
        ssl_error(why, sizeof(why));
    }
    ERR_clear_error();
    return tally_error_set(err, TALLY_ERR_ARGUMENT, "option '%s': cannot use '%s': %s", option, path,
                           why[0] ? why : "unreadable or not PEM");
}

tally_code tally_tls_ctx_new(const tally_tls_opts *o, void **out, tally_error *err)
{
    SSL_CTX *ctx;
    tally_code rc;

    *out = NULL;
    if ((rc = tally_tls_check(o, 0, err)) != TALLY_OK) return rc;
    ERR_clear_error();
    ctx = SSL_CTX_new(TLS_client_method());
    if (!ctx) return tally_error_set(err, TALLY_ERR_MEMORY, "out of memory creating a TLS context");
    SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
    /* OpenSSL looks into a CA directory only when verifying: check it now. */
    if (set(o->ca_path)) {
        struct stat st;
        int r = stat(o->ca_path, &st);
        if (r != 0 || !S_ISDIR(st.st_mode)) {
            rc = tally_error_set(err, TALLY_ERR_ARGUMENT, "option 'tls_ca_path': cannot use '%s': %s", o->ca_path,
                                 r != 0 ? strerror(errno) : "not a directory");
            goto fail;
        }
    }
    if (set(o->ca_file) || set(o->ca_path)) {
        if (SSL_CTX_load_verify_locations(ctx, set(o->ca_file) ? o->ca_file : NULL,
                                          set(o->ca_path) ? o->ca_path : NULL) != 1) {
            rc = set(o->ca_file) ? file_error("tls_ca_file", o->ca_file, err) : file_error("tls_ca_path", o->ca_path, err);
            goto fail;
        }
    } else if (SSL_CTX_set_default_verify_paths(ctx) != 1) {
        rc = file_error("tls_ca_file", "the system certificate store", err);
        goto fail;
    }
    if (set(o->cert_file)) {
        if (SSL_CTX_use_certificate_chain_file(ctx, o->cert_file) != 1) {
            rc = file_error("tls_cert_file", o->cert_file, err);
            goto fail;
        }
        if (SSL_CTX_use_PrivateKey_file(ctx, o->key_file, SSL_FILETYPE_PEM) != 1) {
            rc = file_error("tls_key_file", o->key_file, err);
            goto fail;
        }
        if (SSL_CTX_check_private_key(ctx) != 1) {
            rc = tally_error_set(err, TALLY_ERR_ARGUMENT, "options 'tls_cert_file' and 'tls_key_file': the key '%s' "
                                 "does not belong to the certificate '%s'", o->key_file, o->cert_file);
            goto fail;
        }
    }
    SSL_CTX_set_verify(ctx, o->verify ? SSL_VERIFY_PEER : SSL_VERIFY_NONE, NULL);
    /* Called only when the server asks for a certificate and none is configured. */
    if (!set(o->cert_file)) SSL_CTX_set_client_cert_cb(ctx, cert_requested);
    *out = ctx;
    return TALLY_OK;
fail:
    ERR_clear_error();
    SSL_CTX_free(ctx);
    return rc;
}

void tally_tls_ctx_free(void *ctx)
{
    SSL_CTX_free(ctx);
}

static int is_ip(const char *name)
{
    unsigned char buf[16];
    return inet_pton(AF_INET, name, buf) == 1 || inet_pton(AF_INET6, name, buf) == 1;
}

/* Why the handshake failed, from what OpenSSL recorded: the verify result first (it
 * names the certificate problem), then the error queue (alerts, wrong protocol). */
static tally_code handshake_error(SSL *ssl, const tally_tls_opts *o, const char *name, const char *where,
                                  double connect_timeout, int saved_errno, const char *hiredis_why, tally_error *err)
{
    long v = SSL_get_verify_result(ssl);
    char why[200];

    if (o->verify && v != X509_V_OK) {
        const char *detail = "";
        char extra[320] = "";
        if (v == X509_V_ERR_HOSTNAME_MISMATCH || v == X509_V_ERR_IP_ADDRESS_MISMATCH) {
            snprintf(extra, sizeof(extra), " (the certificate is not for '%s'; set tls_server_name to the name it has)", name);
            detail = extra;
        } else if (v == X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY || v == X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT
                   || v == X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN) {
            detail = " (the server's certificate is not signed by a trusted CA: set tls_ca_file)";
        }
        return tally_error_set(err, TALLY_ERR_CONNECT, "TLS handshake with Redis at %s failed: certificate verify failed: %s%s",
                               where, X509_verify_cert_error_string(v), detail);
    }
    tally_tls_reason(ssl, 1, why, sizeof(why));
    if (why[0]) {
        return tally_error_set(err, TALLY_ERR_CONNECT, "TLS handshake with Redis at %s failed: %s", where, why);
    }
    if (saved_errno == EAGAIN || saved_errno == EWOULDBLOCK) {
        return tally_error_set(err, TALLY_ERR_CONNECT, "TLS handshake with Redis at %s did not complete within %.3g s "
                               "(connect_timeout): is it a TLS port?", where, connect_timeout);
    }
    return tally_error_set(err, TALLY_ERR_CONNECT, "TLS handshake with Redis at %s failed: %s", where,
                           hiredis_why && *hiredis_why ? hiredis_why : "the server closed the connection");
}

tally_code tally_tls_start(redisContext *rc, void *ctx, const tally_tls_opts *o, const char *host,
                           const char *where, double connect_timeout, void **out, tally_error *err)
{
    const char *name = set(o->server_name) ? o->server_name : host;
    SSL *ssl;
    int ok = 1, saved;

    *out = NULL;
    ERR_clear_error();
    ssl = SSL_new(ctx);
    if (!ssl) return tally_error_set(err, TALLY_ERR_MEMORY, "out of memory starting TLS with Redis at %s", where);
    /* SNI carries host names only (RFC 6066); an IP address is verified as an IP. */
    if (!is_ip(name)) ok = SSL_set_tlsext_host_name(ssl, name) == 1;
    if (ok && o->verify) {
        if (is_ip(name)) {
            ok = X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), name) == 1;
        } else {
            SSL_set_hostflags(ssl, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
            ok = SSL_set1_host(ssl, name) == 1;
        }
    }
    if (!ok) {
        SSL_free(ssl);
        ERR_clear_error();
        return tally_error_set(err, TALLY_ERR_ARGUMENT, "option 'tls_server_name': '%s' cannot be used as a TLS server name", name);
    }
    errno = 0;
    if (redisInitiateSSL(rc, ssl) == REDIS_OK) {
        *out = ssl;
        return TALLY_OK;
    }
    /* On failure the SSL* is still ours (hiredis freed only its wrapper). */
    saved = errno;
    handshake_error(ssl, o, name, where, connect_timeout, saved, rc->errstr, err);
    SSL_free(ssl);
    ERR_clear_error();
    return TALLY_ERR_CONNECT;
}

/* SSL_read/SSL_write results as read()/write() ones. A blocking socket's SO_RCVTIMEO or
 * SO_SNDTIMEO makes OpenSSL report WANT_READ/WANT_WRITE: that is the timeout, unless the
 * socket call was interrupted by a signal (OpenSSL retries on EINTR the same way): then
 * it is EINTR, and the caller repeats the call as it does for read()/write(). */
static ssize_t io_result(SSL *ssl, int r)
{
    int e, sys = errno;
    if (r > 0) return r;
    e = SSL_get_error(ssl, r);
    switch (e) {
    case SSL_ERROR_ZERO_RETURN:
        return 0;
    case SSL_ERROR_WANT_READ:
    case SSL_ERROR_WANT_WRITE:
        errno = sys == EINTR ? EINTR : EAGAIN;
        return -1;
    case SSL_ERROR_SYSCALL:
        if (sys == 0) return 0;     /* EOF without close-notify */
        errno = sys;
        return -1;
    default:
        if (ERR_GET_REASON(ERR_peek_last_error()) == SSL_R_UNEXPECTED_EOF_WHILE_READING) return 0;
        errno = EPROTO;
        return -1;
    }
}

ssize_t tally_tls_read(void *ssl, char *buf, size_t n)
{
    errno = 0;
    return io_result(ssl, SSL_read(ssl, buf, n > INT_MAX ? INT_MAX : (int)n));
}

ssize_t tally_tls_write(void *ssl, const char *buf, size_t n)
{
    errno = 0;
    return io_result(ssl, SSL_write(ssl, buf, n > INT_MAX ? INT_MAX : (int)n));
}

size_t tally_tls_pending(void *ssl)
{
    return ssl ? (size_t)SSL_pending(ssl) : 0;
}

void tally_tls_clear(void)
{
    ERR_clear_error();
}

const char *tally_tls_reason(void *ssl, int fresh, char *buf, size_t n)
{
    unsigned long e = ERR_peek_last_error();
    char r[160];

    if (n == 0) return buf;
    buf[0] = '\0';
    if (!e) {
        /* TLS 1.3: the server checks the client's certificate after the client's side of
         * the handshake is done; refusing, it may reset the connection before its alert
         * can be read. That it asked for one we sent not is recorded by cert_requested. */
        if (ssl && fresh && SSL_get_app_data(ssl) == &cert_requested_mark && !SSL_get_certificate(ssl)) {
            snprintf(buf, n, "the server requires a client certificate (set tls_cert_file and tls_key_file)");
        }
        return buf;
    }
    ssl_error(r, sizeof(r));
    if (ERR_GET_LIB(e) == ERR_LIB_SSL) {
        switch (ERR_GET_REASON(e)) {
        case SSL_R_TLSV13_ALERT_CERTIFICATE_REQUIRED:
            snprintf(buf, n, "the server requires a client certificate (set tls_cert_file and tls_key_file)");
            return buf;
        case SSL_R_TLSV1_ALERT_UNKNOWN_CA:
        case SSL_R_SSLV3_ALERT_BAD_CERTIFICATE:
        case SSL_R_SSLV3_ALERT_CERTIFICATE_UNKNOWN:
            snprintf(buf, n, "the server rejected the client certificate (%s)", r);
            return buf;
        case SSL_R_WRONG_VERSION_NUMBER:
        case SSL_R_PACKET_LENGTH_TOO_LONG:
        case SSL_R_RECORD_LENGTH_MISMATCH:
        case SSL_R_UNKNOWN_PROTOCOL:
            snprintf(buf, n, "%s: the server does not speak TLS on this port (a plain TCP port? then leave 'tls' off)", r);
            return buf;
        case SSL_R_UNEXPECTED_EOF_WHILE_READING:
            snprintf(buf, n, "the server closed the connection (%s)", r);
            return buf;
        default:
            break;
        }
    }
    snprintf(buf, n, "%s", r);
    return buf;
}

#endif
