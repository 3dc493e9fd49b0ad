/*
 * gen_rng.c - splitmix64, the generator's only source of randomness.
 *
 * The C library's rand() differs between libcs and is shared with
 * libraries (Leptonica's noise functions call it), so the same --seed
 * could give different files.  splitmix64 is fixed arithmetic on one
 * 64-bit word: identical output everywhere.
 */
#include "gen.h"

static uint64_t splitmix_step(uint64_t *state)
{
  uint64_t z;

  *state += UINT64_C(0x9e3779b97f4a7c15);
  z = *state;
  z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
  z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
  return z ^ (z >> 31);
}

void gen_rng_seed(gen_rng *r, uint64_t seed, uint64_t stream1,
                  uint64_t stream2)
{
  uint64_t s = seed;

  /* Mixing each part through the step keeps nearby seeds and streams
   * (seed 1 file 2, seed 2 file 1) apart. */
  r->state = splitmix_step(&s);
  r->state ^= stream1 * UINT64_C(0xd1342543de82ef95);
  s = r->state;
  r->state = splitmix_step(&s);
  r->state ^= stream2 * UINT64_C(0xaf251af3b0f025b5);
  s = r->state;
  r->state = splitmix_step(&s);
}

uint64_t gen_rng_next(gen_rng *r)
{
  return splitmix_step(&r->state);
}

uint32_t gen_rng_below(gen_rng *r, uint32_t n)
{
  /* Multiply-shift: the bias for n far below 2^32 is negligible here. */
  uint64_t x = gen_rng_next(r) >> 32;

  return (uint32_t)((x * (uint64_t)n) >> 32);
}

int gen_rng_range(gen_rng *r, int lo, int hi)
{
  return lo + (int)gen_rng_below(r, (uint32_t)(hi - lo + 1));
}

double gen_rng_unit(gen_rng *r)
{
  return (double)(gen_rng_next(r) >> 11) * (1.0 / 9007199254740992.0);
}

int gen_rng_chance(gen_rng *r, double p)
{
  return gen_rng_unit(r) < p;
}
