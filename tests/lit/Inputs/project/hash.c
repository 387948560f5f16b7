#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct entry {
  char *key;
  long value;
  struct entry *next;
};

struct table {
  struct entry **buckets;
  size_t size, count;
};

static uint64_t fnv1a(const char *s) {
  uint64_t h = 1469598103934665603ull;
  while (*s)
    h = (h ^ (unsigned char)*s++) * 1099511628211ull;
  return h;
}

struct table *table_new(size_t size) {
  struct table *t = calloc(1, sizeof *t);
  t->buckets = calloc(size, sizeof *t->buckets);
  t->size = size;
  return t;
}

static void grow(struct table *t) {
  size_t size = t->size * 2;
  struct entry **buckets = calloc(size, sizeof *buckets);
  for (size_t i = 0; i < t->size; i++) {
    for (struct entry *e = t->buckets[i], *next; e; e = next) {
      next = e->next;
      size_t b = fnv1a(e->key) % size;
      e->next = buckets[b];
      buckets[b] = e;
    }
  }
  free(t->buckets);
  t->buckets = buckets;
  t->size = size;
}

long *table_put(struct table *t, const char *key) {
  size_t b = fnv1a(key) % t->size;
  for (struct entry *e = t->buckets[b]; e; e = e->next)
    if (strcmp(e->key, key) == 0)
      return &e->value;
  if (t->count * 4 > t->size * 3) {
    grow(t);
    b = fnv1a(key) % t->size;
  }
  struct entry *e = malloc(sizeof *e);
  size_t n = strlen(key) + 1;
  e->key = memcpy(malloc(n), key, n);
  e->value = 0;
  e->next = t->buckets[b];
  t->buckets[b] = e;
  t->count++;
  return &e->value;
}

long table_sum(const struct table *t) {
  long sum = 0;
  for (size_t i = 0; i < t->size; i++)
    for (struct entry *e = t->buckets[i]; e; e = e->next)
      sum += e->value * (long)(fnv1a(e->key) & 0xff);
  return sum;
}

void table_free(struct table *t) {
  for (size_t i = 0; i < t->size; i++) {
    for (struct entry *e = t->buckets[i], *next; e; e = next) {
      next = e->next;
      free(e->key);
      free(e);
    }
  }
  free(t->buckets);
  free(t);
}
