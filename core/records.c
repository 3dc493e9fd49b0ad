/* records.c - the shared word and field records: freeing, box union. */
#include <stdlib.h>

#include "core.h"

void daftar_words_free(daftar_word *w, size_t n)
{
  if(!w)
    return;
  for(size_t i = 0; i < n; i++)
    free(w[i].text);
  free(w);
}

void daftar_fields_free(daftar_field *f, size_t n)
{
  if(!f)
    return;
  for(size_t i = 0; i < n; i++) {
    free(f[i].value);
    free(f[i].raw);
  }
  free(f);
}

daftar_box daftar_box_union(daftar_box a, daftar_box b)
{
  daftar_box u = a;
  if(b.x0 < u.x0)
    u.x0 = b.x0;
  if(b.y0 < u.y0)
    u.y0 = b.y0;
  if(b.x1 > u.x1)
    u.x1 = b.x1;
  if(b.y1 > u.y1)
    u.y1 = b.y1;
  return u;
}
