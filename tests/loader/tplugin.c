/*
** One tiny connector, compiled several times with different macros into
** the good and the broken plugins test_loader expects. Each macro breaks
** exactly one rule of the loader checklist.
**
**   TP_NAME "x"        descriptor name (file hrsync-<target>.so)
**   TP_NO_ENTRY        export no entry symbol
**   TP_REFUSE          entry returns NULL
**   TP_NO_NEXT_PAGE    descriptor lacks a required callback
**   TP_SMALL           struct_size below the 1.0 size
**   TP_UNTERMINATED    settings not ended within the loader's bound
**   TP_CRASH           entry function dies with SIGSEGV
**   TP_NULL_NAME       descriptor name NULL
**   TP_NULL_MAPPING    a suggested_mapping entry with a NULL value
**   TP_NO_VERSION      descriptor version NULL (the field is optional)
** HRSYNC_ABI_MAJOR=99 gives another major.
*/
#include <hrsync/connector.h>

#include <signal.h>

#ifndef TP_NAME
#define TP_NAME "testgood"
#endif

struct hrsync_conn {
  const hrsync_host *host;
  hrsync_host_ctx *ctx;
};

static hrsync_status tp_open(const hrsync_host *host, hrsync_host_ctx *ctx,
                             hrsync_conn **out)
{
  static hrsync_conn conn; /* the loader never opens it */
  conn.host = host;
  conn.ctx = ctx;
  *out = &conn;
  return HRSYNC_OK;
}

static void tp_close(hrsync_conn *conn)
{
  (void)conn;
}

static hrsync_status tp_authenticate(hrsync_conn *conn)
{
  (void)conn;
  return HRSYNC_OK;
}

static hrsync_status tp_list_fields(hrsync_conn *conn)
{
  (void)conn;
  return HRSYNC_OK;
}

#ifndef TP_NO_NEXT_PAGE
static hrsync_status tp_next_page(hrsync_conn *conn, int *has_more)
{
  (void)conn;
  *has_more = 0;
  return HRSYNC_OK;
}
#endif

#ifdef TP_UNTERMINATED
#define S4                                                                    \
  {"k", "k", NULL, 0}, {"k", "k", NULL, 0}, {"k", "k", NULL, 0},              \
  {                                                                           \
    "k", "k", NULL, 0                                                         \
  }
#define S16 S4, S4, S4, S4
#define S64 S16, S16, S16, S16
static const hrsync_setting_def tp_settings[] = {
    S64, S64, S64, S64, S64, {NULL, NULL, NULL, 0}};
#else
static const hrsync_setting_def tp_settings[] = {
    {"base_url", "Where the API lives", "http://127.0.0.1:1", 0},
    {"api_key", "The API key", NULL,
     HRSYNC_SETTING_REQUIRED | HRSYNC_SETTING_SECRET},
    {NULL, NULL, NULL, 0}};
#endif

#ifdef TP_NULL_MAPPING
static const hrsync_kv tp_mapping[] = {
    {"first_name", "firstName"}, {"email", NULL}, {NULL, NULL}};
#endif

static const hrsync_connector tp_connector = {
#ifdef TP_SMALL
    .abi_major = HRSYNC_ABI_MAJOR,
    .abi_minor = HRSYNC_ABI_MINOR,
    .struct_size = 16,
#else
    HRSYNC_CONNECTOR_V1,
#endif
#ifdef TP_NULL_NAME
    .name = NULL,
#else
    .name = TP_NAME,
#endif
    .display_name = "Test Good",
#ifdef TP_NO_VERSION
    .version = NULL,
#else
    .version = "0.3.1",
#endif
    .settings = tp_settings,
    .open = tp_open,
    .close = tp_close,
    .authenticate = tp_authenticate,
    .list_fields = tp_list_fields,
#ifndef TP_NO_NEXT_PAGE
    .next_page = tp_next_page,
#endif
#ifdef TP_NULL_MAPPING
    .suggested_mapping = tp_mapping
#else
    .suggested_mapping = NULL
#endif
};

#ifdef TP_NO_ENTRY
/* Exported under another name: the loader must not guess. */
HRSYNC_EXPORT const hrsync_connector *tp_entry(uint32_t major, uint32_t minor);
const hrsync_connector *tp_entry(uint32_t major, uint32_t minor)
#else
HRSYNC_EXPORT const hrsync_connector *hrsync_connector_entry(uint32_t major,
                                                             uint32_t minor);
const hrsync_connector *hrsync_connector_entry(uint32_t major, uint32_t minor)
#endif
{
  /* Whatever the host speaks: the host is the one that must refuse. */
  (void)major;
  (void)minor;
#ifdef TP_CRASH
  raise(SIGSEGV); /* as a NULL dereference would */
  return &tp_connector;
#elif defined(TP_REFUSE)
  return minor == 12345 ? &tp_connector : NULL;
#else
  return &tp_connector;
#endif
}
