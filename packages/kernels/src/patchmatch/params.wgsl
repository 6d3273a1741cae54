// patchmatch-params: the uniforms every PatchMatch pass takes (each reads what it needs).

struct Params {
  h: u32,
  w: u32,
  radius: i32,
  seed: u32,
  pass_index: u32,
  step: i32,
  tries: u32,
  search_radius: i32,
  count: u32,
  known_only: u32,
  centre_vote: u32,
}
