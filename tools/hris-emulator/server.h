/* The HTTP side: libmicrohttpd daemon, request routing, fault application
 * and response sending. */
#ifndef EMU_SERVER_H
#define EMU_SERVER_H

#include "emu.h"

struct MHD_Daemon;

/* Starts serving ctx on 127.0.0.1:port (0 = any free port). Returns the
 * daemon (stop it with emu_server_stop) and the bound port in *bound, or
 * NULL with a reason in err. */
struct MHD_Daemon *emu_server_start(emu_ctx *ctx, unsigned port,
                                    unsigned *bound, char *err, size_t errlen);
void emu_server_stop(struct MHD_Daemon *d);

#endif
