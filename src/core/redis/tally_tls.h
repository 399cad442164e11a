/* TLS to Redis: OpenSSL under hiredis_ssl, when the build has both (TALLY_HAVE_TLS, see
 * tally_hiredis.h). Without them every function still exists: tally_tls_check() refuses
 * tls on, so nothing else is ever reached.
 *
 * hiredis_ssl only sets SNI; the peer's name (or IP) is verified here, and failures are
 * named from OpenSSL's verify result and error queue, not hiredis's one-line summary.
 *
 *   tally_tls_check()      option rules (built in, cert with key, no unix socket)
 *   tally_tls_support()    "enabled (OpenSSL 3.0.x)" or "disabled (...)", for php --ri
 *   tally_tls_ctx_new()    an SSL_CTX from the options: CAs, client certificate, verify mode
 *   tally_tls_ctx_free()
 *   tally_tls_start()      handshake on a connected context; the SSL* stays the context's
 *   tally_tls_read() / tally_tls_write()   read()/write() semantics on that SSL*
 *   tally_tls_pending()    decrypted bytes OpenSSL holds that no poll() on the fd can see
 *   tally_tls_clear()      forget stale OpenSSL errors before an operation
 *   tally_tls_reason()     why the last TLS operation failed, in words ("" when unknown)
 */
#ifndef TALLY_TLS_H
#define TALLY_TLS_H

#include <stddef.h>
#include <sys/types.h>
#include "redis/tally_hiredis.h"
#include "util/tally_error.h"

typedef struct {
    int enabled;
    const char *ca_file;      /* NULL or "": with ca_path NULL too, the system store */
    const char *ca_path;
    const char *cert_file;    /* client certificate (PEM chain), with key_file */
    const char *key_file;
    const char *server_name;  /* SNI and the name verified; NULL or "": the host */
    int verify;               /* verify the server's certificate and name */
} tally_tls_opts;

tally_code tally_tls_check(const tally_tls_opts *o, int unix_socket, tally_error *err);
const char *tally_tls_support(void);

tally_code tally_tls_ctx_new(const tally_tls_opts *o, void **ctx, tally_error *err);
void tally_tls_ctx_free(void *ctx);

/* The socket's timeouts must already bound the handshake (connect_timeout). On success
 * *ssl is the session, owned and freed by ctx (redisFree: SSL_free, no close-notify). */
tally_code tally_tls_start(redisContext *rc, void *ctx, const tally_tls_opts *o, const char *host,
                           const char *where, double connect_timeout, void **ssl, tally_error *err);

/* > 0 bytes moved; 0 the server closed (close-notify or EOF); -1 with errno EAGAIN on a
 * timeout, EINTR, or EPROTO/ECONNRESET for a TLS or socket failure (tally_tls_reason). */
ssize_t tally_tls_read(void *ssl, char *buf, size_t n);
ssize_t tally_tls_write(void *ssl, const char *buf, size_t n);
size_t tally_tls_pending(void *ssl);
void tally_tls_clear(void);
/* fresh: the session has not read a reply yet (only then is a reset after the server
 * asked for a missing client certificate taken as that refusal). ssl may be NULL. */
const char *tally_tls_reason(void *ssl, int fresh, char *buf, size_t n);

#endif
