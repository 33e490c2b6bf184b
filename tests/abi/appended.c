/*
** Members added after 1.0 are appended, in the order of their minor
** versions, after everything older (connector.h "Versioning"): a host
** table from an older hrsync simply ends before them, and
** HRSYNC_HOST_HAS() sees them as absent. Prints the 1.2 to 1.4 members'
** offsets; fails when one moved before an older one.
*/
#include <hrsync/connector.h>

#include <stddef.h>
#include <stdio.h>

#define AFTER(a, b) (offsetof(hrsync_host, a) > offsetof(hrsync_host, b))

int main(void)
{
  int ok = HRSYNC_ABI_MINOR >= 4 && AFTER(field_withheld, free) &&
           AFTER(roster_total, field_withheld) &&
           AFTER(changed_since, roster_total) &&
           AFTER(changed_only, changed_since) &&
           AFTER(http_stream, changed_only) && AFTER(http_many, http_stream) &&
           AFTER(rate_limit, http_many) &&
           sizeof(hrsync_host) ==
               offsetof(hrsync_host, rate_limit) + sizeof(void (*)(void));
  hrsync_host old;
  /* A 1.2 host's table ends after roster_total: 1.3 services absent. */
  old.struct_size = (uint32_t)(offsetof(hrsync_host, roster_total) +
                               sizeof(old.roster_total));
  old.changed_since = NULL;
  ok = ok && !HRSYNC_HOST_HAS(&old, changed_since);
  printf("1.2 field_withheld %zu roster_total %zu; 1.3 changed_since %zu "
         "changed_only %zu: %s\n",
         offsetof(hrsync_host, field_withheld),
         offsetof(hrsync_host, roster_total),
         offsetof(hrsync_host, changed_since),
         offsetof(hrsync_host, changed_only), ok ? "ok" : "MOVED");
  return ok ? 0 : 1;
}
