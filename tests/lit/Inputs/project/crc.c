#include <stddef.h>
#include <stdint.h>

static uint32_t table[256];
static int ready;

static void init(void) {
  for (uint32_t i = 0; i < 256; i++) {
    uint32_t c = i;
    for (int k = 0; k < 8; k++)
      c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    table[i] = c;
  }
  ready = 1;
}

uint32_t crc32(uint32_t crc, const unsigned char *p, size_t n) {
  if (!ready)
    init();
  crc = ~crc;
  while (n >= 4) {
    crc = table[(crc ^ p[0]) & 0xff] ^ (crc >> 8);
    crc = table[(crc ^ p[1]) & 0xff] ^ (crc >> 8);
    crc = table[(crc ^ p[2]) & 0xff] ^ (crc >> 8);
    crc = table[(crc ^ p[3]) & 0xff] ^ (crc >> 8);
    p += 4;
    n -= 4;
  }
  while (n--)
    crc = table[(crc ^ *p++) & 0xff] ^ (crc >> 8);
  return ~crc;
}

uint32_t adler32(uint32_t adler, const unsigned char *p, size_t n) {
  uint32_t a = adler & 0xffff, b = adler >> 16;
  for (size_t i = 0; i < n; i++) {
    a = (a + p[i]) % 65521;
    b = (b + a) % 65521;
  }
  return b << 16 | a;
}
