/*
** Prints where every member and constant of connector ABI 1.0 lives.
** Built twice: against the frozen 1.0 header (tests/abi/v1_0) and against
** the current SDK header. The two outputs must be identical: within a
** major, nothing of 1.0 may move, shrink, change value or vanish (members
** appended after these are allowed and not listed).
*/
#include <hrsync/connector.h>

#include <stdio.h>

#define OFF(type, m)                                                          \
  printf(#type "." #m " offset %zu size %zu\n", offsetof(type, m),            \
         sizeof(((type *)0)->m))
#define VAL(c) printf(#c " = %lld\n", (long long)(c))

int main(void)
{
  OFF(hrsync_kv, name);
  OFF(hrsync_kv, value);

  OFF(hrsync_http_request, struct_size);
  OFF(hrsync_http_request, flags);
  OFF(hrsync_http_request, method);
  OFF(hrsync_http_request, url);
  OFF(hrsync_http_request, headers);
  OFF(hrsync_http_request, n_headers);
  OFF(hrsync_http_request, body);
  OFF(hrsync_http_request, body_len);
  OFF(hrsync_http_request, basic_user);
  OFF(hrsync_http_request, basic_password);

  OFF(hrsync_http_response, struct_size);
  OFF(hrsync_http_response, status);
  OFF(hrsync_http_response, headers);
  OFF(hrsync_http_response, n_headers);
  OFF(hrsync_http_response, body);
  OFF(hrsync_http_response, body_len);

  OFF(hrsync_field_def, struct_size);
  OFF(hrsync_field_def, type);
  OFF(hrsync_field_def, flags);
  OFF(hrsync_field_def, id);
  OFF(hrsync_field_def, label);

  /* No struct_size: settings tables are arrays, so this one is frozen
  ** whole. */
  OFF(hrsync_setting_def, key);
  OFF(hrsync_setting_def, label);
  OFF(hrsync_setting_def, default_value);
  OFF(hrsync_setting_def, flags);
  printf("sizeof(hrsync_setting_def) %zu\n", sizeof(hrsync_setting_def));

  OFF(hrsync_host, abi_major);
  OFF(hrsync_host, abi_minor);
  OFF(hrsync_host, struct_size);
  OFF(hrsync_host, log);
  OFF(hrsync_host, set_error);
  OFF(hrsync_host, setting);
  OFF(hrsync_host, secret);
  OFF(hrsync_host, mark_secret);
  OFF(hrsync_host, http);
  OFF(hrsync_host, wanted_field);
  OFF(hrsync_host, field);
  OFF(hrsync_host, record_begin);
  OFF(hrsync_host, record_set);
  OFF(hrsync_host, record_end);
  OFF(hrsync_host, alloc);
  OFF(hrsync_host, realloc);
  OFF(hrsync_host, free);

  OFF(hrsync_connector, abi_major);
  OFF(hrsync_connector, abi_minor);
  OFF(hrsync_connector, struct_size);
  OFF(hrsync_connector, flags);
  OFF(hrsync_connector, name);
  OFF(hrsync_connector, display_name);
  OFF(hrsync_connector, version);
  OFF(hrsync_connector, settings);
  OFF(hrsync_connector, open);
  OFF(hrsync_connector, close);
  OFF(hrsync_connector, authenticate);
  OFF(hrsync_connector, list_fields);
  OFF(hrsync_connector, next_page);
  OFF(hrsync_connector, suggested_mapping);
  VAL(HRSYNC_CONNECTOR_V1_0_SIZE);

  VAL(HRSYNC_ABI_MAJOR);
  VAL(sizeof(hrsync_status));
  VAL(HRSYNC_OK);
  VAL(HRSYNC_E_CONFIG);
  VAL(HRSYNC_E_AUTH);
  VAL(HRSYNC_E_HTTP);
  VAL(HRSYNC_E_PARSE);
  VAL(HRSYNC_E_NOMEM);
  VAL(HRSYNC_E_ABORTED);
  VAL(HRSYNC_E_INTERNAL);
  VAL(HRSYNC_LOG_ERROR);
  VAL(HRSYNC_LOG_WARN);
  VAL(HRSYNC_LOG_INFO);
  VAL(HRSYNC_LOG_DEBUG);
  VAL(HRSYNC_HTTP_SENSITIVE_BODY);
  VAL(HRSYNC_FIELD_TEXT);
  VAL(HRSYNC_FIELD_DATE);
  VAL(HRSYNC_FIELD_EMAIL);
  VAL(HRSYNC_FIELD_NUMBER);
  VAL(HRSYNC_FIELD_LIST);
  VAL(HRSYNC_FIELD_BOOL);
  VAL(HRSYNC_FIELD_DEPRECATED);
  VAL(HRSYNC_SETTING_REQUIRED);
  VAL(HRSYNC_SETTING_SECRET);
  printf("HRSYNC_ENTRY_SYMBOL = %s\n", HRSYNC_ENTRY_SYMBOL);
  return 0;
}
