/* Personio internals shared by its route and render files. */
#ifndef EMU_PERSONIO_H
#define EMU_PERSONIO_H

#include "emu.h"

/* GET /v1/company/employees (limit, offset, email, updated_since,
 * attributes[]). */
void personio_employees(emu_req *req, emu_resp *resp);
/* GET /v1/company/employees/{id}. */
void personio_employee(emu_req *req, emu_resp *resp, long id);
/* GET /v1/company/employees/attributes. */
void personio_attributes(emu_req *req, emu_resp *resp);
/* The v1 error envelope. */
void personio_error(emu_req *req, emu_resp *resp, unsigned status,
                    const char *msg);

#endif
