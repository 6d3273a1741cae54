// Per-vertex visibility along one direction, accumulated: a vertex is seen from direction d when no
// surface of the rasterised mesh (orthographic view along −d, nvdiffrast layout from rasterize) lies
// in front of it by more than `bias` at its pixel. The farthest depth in the 3×3 pixels around it is
// taken, so a vertex on a silhouette or on its own triangle's edge is not hidden by pixel snapping.
// acc[v] += (visible · max(n·d, 0), max(n·d, 0), 0, 0): after all directions, x / y is the
// cosine-weighted visibility of the environment (ambient occlusion).

struct Params {
  vertices: u32,
  width: u32,
  height: u32,
  bias: f32,
  dir: vec4<f32>,
}

@group(0) @binding(0) var<storage, read> clip: array<vec4<f32>>;      // [V, 1, 1, 4] clip space, w = 1
@group(0) @binding(1) var<storage, read> raster: array<vec4<f32>>;    // [1, H, W, 4] (u, v, z/w, id + 1)
@group(0) @binding(2) var<storage, read> normals: array<vec4<f32>>;   // [V, 1, 1, 4] unit xyz
@group(0) @binding(3) var<storage, read_write> acc: array<vec4<f32>>; // [V, 1, 1, 4]
@group(0) @binding(4) var<uniform> u: Params;

@compute @workgroup_size(64, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) grid: vec3<u32>) {
  let v = gid.x + gid.y * grid.x * 64u;
  if (v >= u.vertices) { return; }
  let weight = max(dot(normals[v].xyz, u.dir.xyz), 0.0);
  let p = clip[v];
  let ndc = p.xyz / p.w;
  let px = i32(floor((ndc.x + 1.0) * 0.5 * f32(u.width)));
  let py = i32(floor((ndc.y + 1.0) * 0.5 * f32(u.height)));
  var farthest = -2.0;
  for (var dy = -1; dy <= 1; dy++) {
    for (var dx = -1; dx <= 1; dx++) {
      let x = px + dx;
      let y = py + dy;
      if (x < 0 || y < 0 || x >= i32(u.width) || y >= i32(u.height)) { farthest = 2.0; continue; }
      let r = raster[u32(y) * u.width + u32(x)];
      // An empty pixel next to the vertex: nothing in front there.
      farthest = max(farthest, select(2.0, r.z, r.w > 0.0));
    }
  }
  let visible = select(0.0, 1.0, ndc.z <= farthest + u.bias);
  acc[v] += vec4<f32>(visible * weight, weight, 0.0, 0.0);
}
