/* Deterministic generated companies: person i depends only on (seed, i),
 * and the mix covers what sync code trips over: diacritics, apostrophes,
 * duplicate names, leavers, future hires, missing emails, addresses and
 * hire dates, part-timers, contractors, custom fields. */
#include "dates.h"
#include "people.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const firsts[] = {
    "Zoë",    "José",  "Łukasz", "Åsa",    "Søren",  "Chloé",    "François",
    "Müge",   "Ines",  "Anna",   "Liam",   "Noah",   "Emma",     "Olivia",
    "Mia",    "Lucas", "Léa",    "Jürgen", "Björn",  "Siobhán",  "María",
    "Renée",  "Ömer",  "Dmitri", "Aoife",  "Mateo",  "Sofia",    "Hugo",
    "Élodie", "Nils",  "Priya",  "Kenji",  "Amélie", "Jean-Luc", "Mary Ann",
    "D'Arcy", "Ana",   "Thomas", "Sarah",  "Ibrahim"};
static const char *const lasts[] = {
    "O'Brien",      "Ñúñez",   "Müller", "D'Angelo", "García",
    "Øverby",       "Smith",   "Dupont", "Nguyen",   "Kowalski",
    "van der Berg", "Schmidt", "Rossi",  "Larsen",   "Ó Súilleabháin",
    "Martin",       "Bernard", "Jones",  "Brown",    "Fernández",
    "Weiß",         "Łęcki",   "Dvořák", "Yılmaz",   "MacDonald",
    "O'Neil",       "Petit",   "Moreau", "Wójcik",   "Novák"};
static const char *const nicks[] = {"Sam", "Alex", "Kim", "Jo", "Max"};

static const struct place {
  const char *city, *postal, *region, *country, *cc, *nationality;
} places[] = {
    {"Berlin", "10115", "Berlin", "Germany", "DE", "German"},
    {"München", "80331", "Bayern", "Germany", "DE", "German"},
    {"Paris", "75002", "Île-de-France", "France", "FR", "French"},
    {"Lyon", "69001", "Auvergne-Rhône-Alpes", "France", "FR", "French"},
    {"London", "SW1A 1AA", "England", "United Kingdom", "GB", "British"},
    {"Dublin", "D02 X285", "Leinster", "Ireland", "IE", "Irish"},
    {"Madrid", "28013", "Madrid", "Spain", "ES", "Spanish"},
    {"New York", "10001", "New York", "United States", "US", "American"},
    {"Salt Lake City", "84101", "Utah", "United States", "US", "American"},
    {"Zürich", "8001", "Zürich", "Switzerland", "CH", "Swiss"}};
static const char *const streets[] = {"Hauptstraße",  "Rue de la Paix",
                                      "Baker Street", "Calle Mayor",
                                      "Main St",      "Bahnhofstrasse"};
static const struct dept {
  const char *name, *titles[2];
} depts[] = {{"Engineering", {"Software Engineer", "Engineering Manager"}},
             {"Sales", {"Account Executive", "Sales Director"}},
             {"Marketing", {"Content Marketer", "Head of Marketing"}},
             {"Finance", {"Accountant", "CFO"}},
             {"Human Resources", {"HR Administrator", "Sr. HR Administrator"}},
             {"Customer Support", {"Support Agent", "Support Lead"}},
             {"Operations", {"Office Manager", "COO"}},
             {"Legal & Compliance", {"Legal Counsel", "Compliance Officer"}}};
static const char *const shirts[] = {"S", "M", "L", "XL"};

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

typedef struct rng {
  uint64_t s;
} rng;

static uint64_t next(rng *r)
{
  r->s += 0x9e3779b97f4a7c15ULL;
  return emu_hash(r->s);
}

static long below(rng *r, long n)
{
  return (long)(next(r) % (uint64_t)n);
}

static rng rng_for(uint64_t seed, size_t index)
{
  rng r;

  r.s = emu_hash(seed) ^ emu_hash((uint64_t)index * 7919 + 1);
  return r;
}

/* Latin letters with diacritics as the ASCII people type in addresses:
 * "Zoë Ñúñez" is zoe.nunez@, not zo.u@. */
static const struct {
  const char *utf8, *ascii;
} translit[] = {
    {"à", "a"},  {"À", "a"}, {"á", "a"},  {"Á", "a"},  {"â", "a"}, {"Â", "a"},
    {"ä", "a"},  {"Ä", "a"}, {"å", "a"},  {"Å", "a"},  {"ã", "a"}, {"Ã", "a"},
    {"ą", "a"},  {"Ą", "a"}, {"æ", "ae"}, {"Æ", "ae"}, {"ç", "c"}, {"Ç", "c"},
    {"ć", "c"},  {"Ć", "c"}, {"č", "c"},  {"Č", "c"},  {"ď", "d"}, {"Ď", "d"},
    {"è", "e"},  {"È", "e"}, {"é", "e"},  {"É", "e"},  {"ê", "e"}, {"Ê", "e"},
    {"ë", "e"},  {"Ë", "e"}, {"ę", "e"},  {"Ę", "e"},  {"ě", "e"}, {"Ě", "e"},
    {"ğ", "g"},  {"Ğ", "g"}, {"ì", "i"},  {"Ì", "i"},  {"í", "i"}, {"Í", "i"},
    {"î", "i"},  {"Î", "i"}, {"ï", "i"},  {"Ï", "i"},  {"ı", "i"}, {"I", "i"},
    {"ł", "l"},  {"Ł", "l"}, {"ñ", "n"},  {"Ñ", "n"},  {"ń", "n"}, {"Ń", "n"},
    {"ň", "n"},  {"Ň", "n"}, {"ò", "o"},  {"Ò", "o"},  {"ó", "o"}, {"Ó", "o"},
    {"ô", "o"},  {"Ô", "o"}, {"ö", "o"},  {"Ö", "o"},  {"ø", "o"}, {"Ø", "o"},
    {"õ", "o"},  {"Õ", "o"}, {"œ", "oe"}, {"Œ", "oe"}, {"ř", "r"}, {"Ř", "r"},
    {"ś", "s"},  {"Ś", "s"}, {"š", "s"},  {"Š", "s"},  {"ş", "s"}, {"Ş", "s"},
    {"ß", "ss"}, {"ť", "t"}, {"Ť", "t"},  {"ù", "u"},  {"Ù", "u"}, {"ú", "u"},
    {"Ú", "u"},  {"û", "u"}, {"Û", "u"},  {"ü", "u"},  {"Ü", "u"}, {"ů", "u"},
    {"Ů", "u"},  {"ý", "y"}, {"Ý", "y"},  {"ÿ", "y"},  {"Ÿ", "y"}, {"ź", "z"},
    {"Ź", "z"},  {"ż", "z"}, {"Ż", "z"},  {"ž", "z"},  {"Ž", "z"}};

/* The ASCII for the letter s starts with, or NULL; *len gets the number
 * of bytes it spans. */
static const char *translit_at(const char *s, size_t *len)
{
  size_t i;

  for(i = 0; i < sizeof(translit) / sizeof(translit[0]); i++) {
    *len = strlen(translit[i].utf8);
    if(!strncmp(s, translit[i].utf8, *len))
      return translit[i].ascii;
  }
  return NULL;
}

/* ASCII slug of a name for email local parts: letters folded to a-z,
 * the rest (spaces, apostrophes, unknown letters) dropped. */
static void slug(char *out, size_t outlen, const char *s)
{
  size_t n = 0, len;
  const char *a;

  while(*s && n + 1 < outlen) {
    if((unsigned char)*s >= 0x80 && (a = translit_at(s, &len)) != NULL) {
      for(; *a && n + 1 < outlen; a++)
        out[n++] = *a;
      s += len;
      continue;
    }
    if(*s >= 'A' && *s <= 'Z')
      out[n++] = (char)(*s - 'A' + 'a');
    else if(*s >= 'a' && *s <= 'z')
      out[n++] = *s;
    s++;
  }
  out[n] = '\0';
}

static int set(emu_person *p, int f, const char *v)
{
  free(p->f[f]);
  p->f[f] = v ? strdup(v) : NULL;
  return (v && !p->f[f]) ? -1 : 0;
}

static int set_date(emu_person *p, int f, long day)
{
  char d[11];

  emu_date_format(day, d);
  return set(p, f, d);
}

static int add_custom(emu_person *p, const char *k, const char *v)
{
  emu_kv *nv = realloc(p->custom, (p->ncustom + 1) * sizeof(*nv));

  if(!nv)
    return -1;
  p->custom = nv;
  nv[p->ncustom].key = strdup(k);
  nv[p->ncustom].value = strdup(v);
  p->ncustom++;
  return (nv[p->ncustom - 1].key && nv[p->ncustom - 1].value) ? 0 : -1;
}

/* Fills p (id already set) as generated person number `index`. */
static int fill(emu_person *p, size_t index, uint64_t seed, long today)
{
  rng r = rng_for(seed, index), nr;
  const struct place *pl;
  const struct dept *dp;
  char buf[256], a[64], b[64];
  long roll, hire, kind;
  int rc = 0;

  /* Every 50th person shares the previous person's name. */
  nr = (index % 50 == 7) ? rng_for(seed, index - 1) : r;
  rc |= set(p, EMU_F_FIRST_NAME, firsts[below(&nr, N_OF(firsts))]);
  rc |= set(p, EMU_F_LAST_NAME, lasts[below(&nr, N_OF(lasts))]);
  if(index % 50 != 7)
    r = nr;
  snprintf(buf, sizeof(buf), "%ld", 1000 + p->id);
  rc |= set(p, EMU_F_EMPLOYEE_NUMBER, buf);
  if(below(&r, 10) == 0)
    rc |= set(p, EMU_F_PREFERRED_NAME, nicks[below(&r, N_OF(nicks))]);
  slug(a, sizeof(a), p->f[EMU_F_FIRST_NAME]);
  slug(b, sizeof(b), p->f[EMU_F_LAST_NAME]);
  if(index % 23 != 5) {
    snprintf(buf, sizeof(buf), "%s.%s.%ld@acme.example", a, b, p->id);
    rc |= set(p, EMU_F_EMAIL, buf);
  }
  if(below(&r, 10) < 6) {
    snprintf(buf, sizeof(buf), "%s%s%ld@mail.example", a, b, p->id % 97);
    rc |= set(p, EMU_F_PERSONAL_EMAIL, buf);
  }
  snprintf(buf, sizeof(buf), "+49 30 5550%04ld", below(&r, 10000));
  rc |= set(p, EMU_F_PHONE, buf);
  pl = &places[below(&r, N_OF(places))];
  if(index % 19 != 4) {
    snprintf(buf, sizeof(buf), "%ld %s", 1 + below(&r, 200),
             streets[below(&r, N_OF(streets))]);
    rc |= set(p, EMU_F_ADDRESS_LINE1, buf);
    if(below(&r, 5) == 0) {
      snprintf(buf, sizeof(buf), "Apt %ld", 1 + below(&r, 40));
      rc |= set(p, EMU_F_ADDRESS_LINE2, buf);
    }
    rc |= set(p, EMU_F_CITY, pl->city);
    rc |= set(p, EMU_F_POSTAL_CODE, pl->postal);
    rc |= set(p, EMU_F_REGION, pl->region);
    rc |= set(p, EMU_F_COUNTRY, pl->country);
    rc |= set(p, EMU_F_COUNTRY_CODE, pl->cc);
  }
  rc |= set(p, EMU_F_NATIONALITY, pl->nationality);
  if(index % 31 != 11)
    rc |= set_date(
        p, EMU_F_BIRTH_DATE,
        emu_date_parse("1960-01-01", &roll) ? 0 : roll + below(&r, 43 * 365));
  /* Employment: ~8% leavers, ~4% future hires, 1% leaving soon. */
  kind = below(&r, 100);
  if(kind < 8) {
    hire = today - 400 - below(&r, 4600);
    rc |= set_date(p, EMU_F_HIRE_DATE, hire);
    rc |= set_date(p, EMU_F_TERMINATION_DATE,
                   hire + 100 + below(&r, today - 1 - hire - 100));
    rc |= set(p, EMU_F_STATUS, "inactive");
  }
  else if(kind < 12) {
    rc |= set_date(p, EMU_F_HIRE_DATE, today + 7 + below(&r, 114));
    rc |= set(p, EMU_F_STATUS, "future");
  }
  else {
    hire = today - 30 - below(&r, 4970);
    rc |= set_date(p, EMU_F_HIRE_DATE, hire);
    if(kind == 12)
      rc |= set_date(p, EMU_F_TERMINATION_DATE, today + 30);
    rc |= set(p, EMU_F_STATUS, "active");
  }
  if(index % 97 == 3)
    rc |= set(p, EMU_F_HIRE_DATE, NULL);
  roll = below(&r, 100);
  rc |= set(p, EMU_F_EMPLOYMENT_TYPE,
            roll < 70   ? "Full-Time"
            : roll < 88 ? "Part-Time"
                        : "Contractor");
  dp = &depts[below(&r, N_OF(depts))];
  rc |= set(p, EMU_F_DEPARTMENT, dp->name);
  rc |= set(p, EMU_F_JOB_TITLE, dp->titles[below(&r, 5) == 0]);
  if(below(&r, 10))
    rc |= add_custom(p, "shirt_size", shirts[below(&r, N_OF(shirts))]);
  snprintf(buf, sizeof(buf), "CC-%ld", 100 + (long)(dp - depts));
  rc |= add_custom(p, "cost_center", buf);
  /* Last change: some day in the past year, during office hours. */
  p->modified = (int64_t)(today - 1 - below(&r, 365)) * 86400 + 8 * 3600 +
                below(&r, 9 * 3600);
  return rc ? -1 : 0;
}

int emu_pop_generate(emu_pop *pop, size_t n, uint64_t seed)
{
  size_t i;
  long base = pop->n ? pop->v[pop->n - 1]->id : 0;

  for(i = 0; i < n; i++) {
    emu_person *p = calloc(1, sizeof(*p));
    if(!p)
      return -1;
    p->id = base + (long)i + 1;
    if(fill(p, i, seed, pop->today) || emu_pop_insert(pop, p)) {
      emu_person_free(p);
      return -1;
    }
  }
  return emu_pop_reindex(pop);
}
