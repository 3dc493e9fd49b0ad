/* records.c - freeing the shared word and field records. */
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
