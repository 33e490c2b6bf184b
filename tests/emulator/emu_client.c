/* Emulator process control and a minimal libcurl client for the tests. */
#include "emu_client.h"

#include <curl/curl.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void nap_ms(long ms)
{
  struct timespec ts;

  ts.tv_sec = ms / 1000;
  ts.tv_nsec = (ms % 1000) * 1000000L;
  nanosleep(&ts, NULL);
}

int emu_proc_start(emu_proc *e, const char *bin, const char *const *args)
{
  char portfile[128];
  const char *argv[64];
  int n = 0, i;

  memset(e, 0, sizeof(*e));
  snprintf(e->dir, sizeof(e->dir), "/tmp/emu-test-XXXXXX");
  if(!mkdtemp(e->dir)) {
    fprintf(stderr, "mkdtemp: %s\n", strerror(errno));
    return -1;
  }
  snprintf(portfile, sizeof(portfile), "%s/port", e->dir);
  argv[n++] = bin;
  argv[n++] = "--port";
  argv[n++] = "0";
  argv[n++] = "--port-file";
  argv[n++] = portfile;
  for(i = 0; args && args[i] && n < 62; i++)
    argv[n++] = args[i];
  argv[n] = NULL;
  e->pid = fork();
  if(e->pid < 0)
    return -1;
  if(!e->pid) {
    /* The emulator prints its port on stdout: keep test output clean. */
    if(!freopen("/dev/null", "w", stdout))
      _exit(127);
    execv(bin, (char *const *)argv);
    _exit(127);
  }
  for(i = 0; i < 400; i++) {
    FILE *f = fopen(portfile, "r");
    int st;
    if(f) {
      int ok = fscanf(f, "%u", &e->port) == 1;
      fclose(f);
      if(ok) {
        snprintf(e->base, sizeof(e->base), "http://127.0.0.1:%u", e->port);
        return 0;
      }
    }
    if(waitpid(e->pid, &st, WNOHANG) == e->pid) {
      fprintf(stderr, "emulator exited during start (status %d)\n", st);
      e->pid = 0;
      return -1;
    }
    nap_ms(25);
  }
  fprintf(stderr, "emulator did not write its port within 10 s\n");
  return -1;
}

int emu_proc_stop(emu_proc *e)
{
  char path[128];
  int st;

  if(!e->pid)
    return -1;
  kill(e->pid, SIGTERM);
  if(waitpid(e->pid, &st, 0) != e->pid)
    return -1;
  e->pid = 0;
  snprintf(path, sizeof(path), "%s/port", e->dir);
  unlink(path);
  rmdir(e->dir);
  return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

struct sink {
  char *data;
  size_t len;
};

static size_t on_data(char *p, size_t size, size_t n, void *cls)
{
  struct sink *s = cls;
  char *nd = realloc(s->data, s->len + size * n + 1);

  if(!nd)
    return 0;
  memcpy(nd + s->len, p, size * n);
  s->data = nd;
  s->len += size * n;
  s->data[s->len] = '\0';
  return size * n;
}

int http_do(const char *method, const char *url, const char *const *headers,
            const char *userpwd, const char *body, http_res *r)
{
  CURL *c = curl_easy_init();
  struct curl_slist *hl = NULL;
  struct sink b = {0}, h = {0};
  int i;

  memset(r, 0, sizeof(*r));
  if(!c)
    return -1;
  for(i = 0; headers && headers[i]; i++)
    hl = curl_slist_append(hl, headers[i]);
  curl_easy_setopt(c, CURLOPT_URL, url);
  curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, hl);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_data);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, &h);
  curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L);
  if(userpwd) {
    curl_easy_setopt(c, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
    curl_easy_setopt(c, CURLOPT_USERPWD, userpwd);
  }
  if(body) {
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
  }
  r->curl_rc = (int)curl_easy_perform(c);
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r->status);
  curl_slist_free_all(hl);
  curl_easy_cleanup(c);
  r->body = b.data ? b.data : strdup("");
  r->len = b.len;
  r->headers = h.data ? h.data : strdup("");
  return r->status ? 0 : -1;
}

const char *http_header(const http_res *r, const char *name, char *out,
                        size_t outlen)
{
  size_t n = strlen(name);
  const char *line;

  for(line = r->headers; line && *line;) {
    const char *eol = strchr(line, '\n');
    if(!strncasecmp(line, name, n) && line[n] == ':') {
      const char *v = line + n + 1;
      size_t len;
      while(*v == ' ')
        v++;
      len = eol ? (size_t)(eol - v) : strlen(v);
      while(len && (v[len - 1] == '\r' || v[len - 1] == '\n'))
        len--;
      snprintf(out, outlen, "%.*s", (int)len, v);
      return out;
    }
    line = eol ? eol + 1 : NULL;
  }
  return NULL;
}

json_object *http_json(const http_res *r)
{
  return r->body ? json_tokener_parse(r->body) : NULL;
}

void http_res_free(http_res *r)
{
  free(r->body);
  free(r->headers);
  memset(r, 0, sizeof(*r));
}

const char *emu_url(const emu_proc *e, const char *path, char *out,
                    size_t outlen)
{
  snprintf(out, outlen, "%s%s", e->base, path);
  return out;
}

json_object *jpath(json_object *o, const char *path)
{
  char buf[256], *save = NULL, *tok;

  snprintf(buf, sizeof(buf), "%s", path);
  for(tok = strtok_r(buf, ".", &save); o && tok;
      tok = strtok_r(NULL, ".", &save)) {
    if(json_object_is_type(o, json_type_array))
      o = json_object_array_get_idx(o, (size_t)atoi(tok));
    else if(!json_object_object_get_ex(o, tok, &o))
      return NULL;
  }
  return o;
}

const char *jstr(json_object *o, const char *path)
{
  json_object *v = jpath(o, path);

  return (v && !json_object_is_type(v, json_type_null))
             ? json_object_get_string(v)
             : NULL;
}
