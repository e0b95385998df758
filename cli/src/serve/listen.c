/* The listener: libmicrohttpd on 127.0.0.1 and [::1] only, one thread per
 * connection (a request may wait minutes for the user's consent), until
 * SIGTERM or SIGINT. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "../cli.h"
#include "serve.h"

static struct MHD_Daemon *start(serve_state *st, int v6)
{
    struct sockaddr_in a4 = {0};
    struct sockaddr_in6 a6 = {0};
    struct sockaddr *sa;
    if (v6) {
        a6.sin6_family = AF_INET6;
        a6.sin6_port = htons(st->cfg.port);
        a6.sin6_addr = in6addr_loopback;
        sa = (struct sockaddr *)&a6;
    } else {
        a4.sin_family = AF_INET;
        a4.sin_port = htons(st->cfg.port);
        a4.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        sa = (struct sockaddr *)&a4;
    }
    unsigned flags = MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG;
    if (v6)
        flags |= MHD_USE_IPv6;
    return MHD_start_daemon(flags, 0, NULL, NULL, serve_access, st, MHD_OPTION_SOCK_ADDR, sa,
                            MHD_OPTION_NOTIFY_COMPLETED, serve_completed, st,
                            /* Idle connections go; a body must keep coming. */
                            MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)st->cfg.timeout_s,
                            MHD_OPTION_CONNECTION_LIMIT, (unsigned)64,
                            MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)32,
                            MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)64 * 1024, MHD_OPTION_END);
}

static unsigned short bound_port(struct MHD_Daemon *d)
{
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    return info != NULL ? info->port : 0;
}

int serve_run(serve_state *st)
{
    /* The signals are taken by this thread alone (sigwait): the
     * connection threads inherit the mask. */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);
    struct MHD_Daemon *d4 = NULL, *d6 = NULL;
    if (st->cfg.want_v4) {
        d4 = start(st, 0);
        if (d4 == NULL) {
            fprintf(stderr, _("vbsig: serve: cannot listen on 127.0.0.1:%u\n"), (unsigned)st->cfg.port);
            return EXIT_UNAVAILABLE;
        }
        st->cfg.port = bound_port(d4); /* port 0: the one the kernel chose, for [::1] too */
    }
    if (st->cfg.want_v6) {
        d6 = start(st, 1);
        if (d6 == NULL && d4 == NULL) {
            fprintf(stderr, _("vbsig: serve: cannot listen on [::1]:%u\n"), (unsigned)st->cfg.port);
            return EXIT_UNAVAILABLE;
        }
        if (d6 == NULL)
            fprintf(stderr, _("vbsig: serve: IPv6 loopback unavailable; listening on 127.0.0.1 only\n"));
        else if (d4 == NULL)
            st->cfg.port = bound_port(d6);
    }
    printf("vbsig serve: listening on");
    if (d4 != NULL)
        printf(" http://127.0.0.1:%u", (unsigned)st->cfg.port);
    if (d6 != NULL)
        printf(" http://[::1]:%u", (unsigned)st->cfg.port);
    printf("\n");
    fflush(stdout);
    int sig = 0;
    sigwait(&set, &sig);
    /* Graceful: no new connections, the dialogs in progress end (their
     * requests answer "cancelled"), the running requests finish. */
    if (d4 != NULL)
        MHD_quiesce_daemon(d4);
    if (d6 != NULL)
        MHD_quiesce_daemon(d6);
    serve_pinentry_abort_all();
    if (d4 != NULL)
        MHD_stop_daemon(d4);
    if (d6 != NULL)
        MHD_stop_daemon(d6);
    fprintf(stderr, _("vbsig: serve: stopped (signal %d)\n"), sig);
    return 0;
}
