/* Lucca internals: the legacy v3 routes live in sys_lucca.c, the new
 * Lucca API in lucca_api.c. */
#ifndef EMU_LUCCA_H
#define EMU_LUCCA_H

#include "emu.h"

/* POST /oauth/token (form): a client-credentials token. */
void lucca_oauth_token(emu_req *req, emu_resp *resp);
/* Everything under /lucca-api/ (bearer + Api-Version checked here). */
void lucca_api(emu_req *req, emu_resp *resp);

#endif
