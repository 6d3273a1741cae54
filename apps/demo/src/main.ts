import { STAGES, type Progress, type ReconstructionResult } from '@avatarme/pipeline/reconstruct/types.ts';
import type { WorkerReply, WorkerRequest } from './protocol.ts';
import { FaceViewer, type ViewSettings } from './viewer.ts';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

const ui = {
  drop: $('drop'),
  file: $<HTMLInputElement>('file'),
  preview: $<HTMLImageElement>('preview'),
  useSample: $<HTMLButtonElement>('use-sample'),
  uvSize: $<HTMLSelectElement>('uv-size'),
  upscale: $<HTMLSelectElement>('upscale'),
  run: $<HTMLButtonElement>('run'),
  cancel: $<HTMLButtonElement>('cancel'),
  stages: $<HTMLOListElement>('stages'),
  error: $<HTMLParagraphElement>('error'),
  canvas: $<HTMLCanvasElement>('view'),
  overlay: $<HTMLImageElement>('overlay'),
  overlayToggle: $<HTMLInputElement>('overlay-toggle'),
  placeholder: $<HTMLParagraphElement>('placeholder'),
  mode: $<HTMLSelectElement>('mode'),
  environment: $<HTMLSelectElement>('environment'),
  light: $<HTMLInputElement>('light'),
  exposure: $<HTMLInputElement>('exposure'),
  gallery: $<HTMLDivElement>('gallery'),
  faceModel: $<HTMLInputElement>('face-model'),
  faceModelState: $<HTMLSpanElement>('face-model-state'),
  downloads: $<HTMLDivElement>('downloads'),
};

let photo: { bytes: Uint8Array; name: string } | undefined;
let faceModel: File[] = [];
let viewer: FaceViewer | undefined;
let worker: Worker | undefined;
const urls: string[] = [];

function showError(message: string): void {
  ui.error.textContent = message;
  ui.error.hidden = false;
}

function clearError(): void {
  ui.error.hidden = true;
  ui.error.textContent = '';
}

async function loadSample(): Promise<void> {
  const res = await fetch(new URL('astronaut.png', document.baseURI));
  photo = { bytes: new Uint8Array(await res.arrayBuffer()), name: 'astronaut.png' };
  ui.preview.src = new URL('astronaut.png', document.baseURI).href;
  document.body.dataset.photo = photo.name;
}

async function takeFile(file: File): Promise<void> {
  clearError();
  photo = { bytes: new Uint8Array(await file.arrayBuffer()), name: file.name };
  const url = URL.createObjectURL(file);
  urls.push(url);
  ui.preview.src = url;
  document.body.dataset.photo = photo.name;
}

function renderStages(progress?: Progress): void {
  if (!progress) {
    ui.stages.innerHTML = '';
    for (const s of STAGES) {
      const li = document.createElement('li');
      li.dataset.stage = s;
      li.innerHTML = `<span>${s}</span> <span class="msg"></span><div class="bar"><div></div></div>`;
      ui.stages.append(li);
    }
    return;
  }
  const idx = STAGES.indexOf(progress.stage);
  for (const li of ui.stages.querySelectorAll('li')) {
    const i = STAGES.indexOf(li.dataset.stage as Progress['stage']);
    const bar = li.querySelector<HTMLDivElement>('.bar div')!;
    if (i < idx) {
      li.classList.add('done');
      bar.style.width = '100%';
    } else if (i === idx) {
      bar.style.width = `${Math.round(progress.fraction * 100)}%`;
      li.querySelector('.msg')!.textContent = progress.message;
      if (progress.fraction >= 1) li.classList.add('done');
    }
  }
}

function pngUrl(bytes: Uint8Array, type = 'image/png'): string {
  const url = URL.createObjectURL(new Blob([bytes as BlobPart], { type }));
  urls.push(url);
  return url;
}

function showResult(result: ReconstructionResult): void {
  ui.placeholder.hidden = true;
  viewer?.show(result.mesh, result.maps);
  ui.gallery.innerHTML = '';
  ui.downloads.innerHTML = '';
  for (const [name, bytes] of Object.entries(result.files)) {
    if (name.endsWith('.png')) {
      const fig = document.createElement('figure');
      fig.innerHTML = `<img alt="${name}" src="${pngUrl(bytes)}"><figcaption>${name.replace('.png', '').replace(/_/g, ' ')}</figcaption>`;
      ui.gallery.append(fig);
    }
    const a = document.createElement('a');
    a.href = pngUrl(bytes, name.endsWith('.glb') ? 'model/gltf-binary' : 'application/octet-stream');
    a.download = name;
    a.textContent = name;
    ui.downloads.append(a);
  }
  const overlay = result.files['overlay.png'];
  if (overlay) ui.overlay.src = pngUrl(overlay);
  document.body.dataset.state = 'done';
}

function run(): void {
  if (!photo) return;
  clearError();
  renderStages();
  worker ??= startWorker();
  ui.run.disabled = true;
  ui.cancel.disabled = false;
  document.body.dataset.state = 'running';
  const request: WorkerRequest = {
    type: 'run',
    photo: photo.bytes,
    name: photo.name,
    uvSize: Number(ui.uvSize.value),
    upscale: Number(ui.upscale.value) as 1 | 2 | 4 | 8,
    faceModel: faceModel.length ? faceModel : undefined,
  };
  worker.postMessage(request);
}

function startWorker(): Worker {
  const w = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
  w.onmessage = (e: MessageEvent<WorkerReply>) => {
    const m = e.data;
    if (m.type === 'progress') renderStages(m.progress);
    else {
      ui.run.disabled = false;
      ui.cancel.disabled = true;
      if (m.type === 'result') showResult(m.result);
      else {
        document.body.dataset.state = 'error';
        showError(m.noFace ? 'No face found in this photo.' : m.message);
      }
    }
  };
  w.onerror = (e) => {
    document.body.dataset.state = 'error';
    showError(`The reconstruction worker failed: ${e.message}`);
  };
  return w;
}

function onSetting(): void {
  const settings: Partial<ViewSettings> = {
    mode: ui.mode.value as ViewSettings['mode'],
    environment: ui.environment.value as ViewSettings['environment'],
    rotation: Number(ui.light.value),
    exposure: Number(ui.exposure.value),
  };
  viewer?.update(settings);
}

ui.file.addEventListener('change', () => ui.file.files?.[0] && takeFile(ui.file.files[0]));
ui.drop.addEventListener('dragover', (e) => {
  e.preventDefault();
  ui.drop.classList.add('over');
});
ui.drop.addEventListener('dragleave', () => ui.drop.classList.remove('over'));
ui.drop.addEventListener('drop', (e) => {
  e.preventDefault();
  ui.drop.classList.remove('over');
  const f = e.dataTransfer?.files[0];
  if (f) void takeFile(f);
});
ui.faceModel.addEventListener('change', () => {
  faceModel = [...(ui.faceModel.files ?? [])];
  const hasManifest = faceModel.some((f) => f.name === 'model.json');
  if (faceModel.length && !hasManifest) {
    showError('That folder has no model.json: import ICT-FaceKit first (avatarme import-face-model).');
    faceModel = [];
  }
  ui.faceModelState.textContent = faceModel.length
    ? `${faceModel.length} files: the whole head is reconstructed with your model`
    : 'built-in compact ICT head';
});
ui.useSample.addEventListener('click', () => void loadSample());
ui.run.addEventListener('click', run);
ui.cancel.addEventListener('click', () => worker?.postMessage({ type: 'cancel' } satisfies WorkerRequest));
for (const el of [ui.mode, ui.environment, ui.light, ui.exposure]) el.addEventListener('input', onSetting);
ui.overlayToggle.addEventListener('change', () => (ui.overlay.hidden = !ui.overlayToggle.checked));

renderStages();
void loadSample();
FaceViewer.create(ui.canvas)
  .then((v) => {
    viewer = v;
    (window as unknown as { viewer: FaceViewer }).viewer = v;
  })
  .catch((e: Error) => {
    ui.run.disabled = true;
    showError(`WebGPU is not available here: ${e.message}`);
  });
