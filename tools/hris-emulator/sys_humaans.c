#include "emu.h"
static void handle(emu_req *req, emu_resp *resp)
{
  (void)req;
  emu_resp_start(resp, 404, "text/plain");
}
static void error(emu_req *req, emu_resp *resp, unsigned st, const char *m)
{
  (void)req;
  (void)m;
  emu_resp_start(resp, st, "text/plain");
}
static unsigned rs(emu_ctx *c)
{
  (void)c;
  return 429;
}
const emu_system emu_sys_humaans = {"humaans", "/humaans", handle, error,
                                    NULL,      NULL,       rs};
