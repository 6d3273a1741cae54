import {
  STAGES,
  type Progress,
  type ReconstructionResult,
  type Stage,
} from '@avatarme/pipeline/reconstruct/types.ts';
import { zipSync } from 'fflate';
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
  downloadAll: $<HTMLAnchorElement>('download-all'),
  files: $<HTMLDetailsElement>('files'),
  status: $<HTMLParagraphElement>('status'),
  resetView: $<HTMLButtonElement>('reset-view'),
};

/** The site's model folder, absolute so that the worker (whose base is its own script) finds it too. */
const MODEL_BASE_URL = new URL('models/', document.baseURI).href;
/** Stage durations of the last finished run in this browser, for the estimates of the next one. */
const DURATIONS_KEY = 'avatarme-demo-stage-ms';

let photo: { bytes: Uint8Array; name: string } | undefined;
let faceModel: File[] = [];
let viewer: FaceViewer | undefined;
let worker: Worker | undefined;
const urls: string[] = [];
/** Object URLs of the shown result, revoked when it is cleared. */
let resultUrls: string[] = [];

interface RunClock {
  started: number;
  stage: Stage | undefined;
  stageStarted: number;
  fraction: number;
  durations: Partial<Record<Stage, number>>;
  timer: number;
}
let clock: RunClock | undefined;

function lastDurations(): Partial<Record<Stage, number>> {
  try {
    return JSON.parse(localStorage.getItem(DURATIONS_KEY) ?? '{}') as Partial<Record<Stage, number>>;
  } catch {
    return {};
  }
}

const seconds = (ms: number) => (ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 1000)} s`);

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
      li.innerHTML = `<span>${s}</span> <span class="msg"></span><span class="time"></span><div class="bar"><div></div></div>`;
      ui.stages.append(li);
    }
    return;
  }
  if (clock && clock.stage !== progress.stage) {
    const now = performance.now();
    if (clock.stage) clock.durations[clock.stage] = now - clock.stageStarted;
    clock.stage = progress.stage;
    clock.stageStarted = now;
  }
  if (clock) clock.fraction = progress.fraction;
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
  resultUrls.push(url);
  return url;
}

/** Elapsed time per stage, and estimates: from the stage's own progress, else from the last run. */
function tick(): void {
  if (!clock) return;
  const now = performance.now();
  const last = lastDurations();
  let left = 0;
  let known = true;
  for (const li of ui.stages.querySelectorAll('li')) {
    const stage = li.dataset.stage as Stage;
    const time = li.querySelector<HTMLSpanElement>('.time')!;
    const done = clock.durations[stage];
    if (done !== undefined) {
      time.textContent = seconds(done);
    } else if (stage === clock.stage) {
      const spent = now - clock.stageStarted;
      const f = clock.fraction;
      const eta =
        f > 0.05 ? (spent * (1 - f)) / f : last[stage] !== undefined ? Math.max(0, last[stage] - spent) : NaN;
      time.textContent = `${seconds(spent)}${Number.isFinite(eta) ? ` · ≈${seconds(eta)} left` : ''}`;
      if (Number.isFinite(eta)) left += eta;
      else known = false;
    } else if (!clock.stage || STAGES.indexOf(stage) > STAGES.indexOf(clock.stage)) {
      time.textContent = last[stage] !== undefined ? `≈${seconds(last[stage])}` : '';
      if (last[stage] !== undefined) left += last[stage];
      else known = false;
    }
  }
  const estimate = known ? ` · about ${seconds(left)} left` : ' · estimates after the first run';
  ui.status.textContent = `Running: ${seconds(now - clock.started)}${estimate}`;
}

function stopClock(outcome: 'done' | 'cancelled' | 'failed'): void {
  if (!clock) return;
  clearInterval(clock.timer);
  const now = performance.now();
  if (clock.stage) clock.durations[clock.stage] = now - clock.stageStarted;
  tick();
  const total = seconds(now - clock.started);
  if (outcome === 'done') {
    localStorage.setItem(DURATIONS_KEY, JSON.stringify(clock.durations));
    ui.status.textContent = `Done in ${total}.`;
  } else {
    ui.status.textContent = outcome === 'cancelled' ? `Cancelled after ${total}.` : `Failed after ${total}.`;
  }
  document.body.dataset.elapsedMs = String(Math.round(now - clock.started));
  clock = undefined;
}

/** Removes the last result (view, maps, downloads), so nothing of a previous photo stays on screen. */
function clearResult(): void {
  viewer?.clear();
  ui.placeholder.hidden = false;
  ui.gallery.innerHTML = '';
  ui.downloads.innerHTML = '';
  ui.files.hidden = true;
  ui.downloadAll.hidden = true;
  ui.downloadAll.removeAttribute('href');
  ui.overlay.removeAttribute('src');
  ui.overlay.hidden = true;
  ui.overlayToggle.checked = false;
  for (const url of resultUrls) URL.revokeObjectURL(url);
  resultUrls = [];
}

function showResult(result: ReconstructionResult): void {
  ui.placeholder.hidden = true;
  viewer?.show(result.mesh, result.maps);
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
  // PNG and GLB hardly compress: level 1 keeps the zip quick on a phone.
  const zip = zipSync(result.files, { level: 1 });
  ui.downloadAll.href = pngUrl(zip, 'application/zip');
  ui.downloadAll.download = `${(photo?.name ?? 'avatar').replace(/\.[^.]*$/, '')}-avatar.zip`;
  ui.downloadAll.textContent = `Download all (${Object.keys(result.files).length} files, ${(zip.length / 2 ** 20).toFixed(1)} MB zip)`;
  ui.downloadAll.hidden = false;
  ui.files.hidden = false;
  const overlay = result.files['overlay.png'];
  if (overlay) ui.overlay.src = pngUrl(overlay);
  document.body.dataset.state = 'done';
}

function run(): void {
  if (!photo) return;
  clearError();
  clearResult();
  renderStages();
  const started = performance.now();
  clock = { started, stage: undefined, stageStarted: started, fraction: 0, durations: {}, timer: 0 };
  clock.timer = window.setInterval(tick, 250);
  tick();
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
    modelBaseUrl: MODEL_BASE_URL,
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
      if (m.type === 'result') {
        stopClock('done');
        showResult(m.result);
      } else if (m.type === 'cancelled') {
        stopClock('cancelled');
        document.body.dataset.state = 'cancelled';
      } else {
        stopClock('failed');
        clearResult();
        document.body.dataset.state = 'error';
        showError(m.noFace ? 'No face found in this photo.' : m.message);
      }
    }
  };
  w.onerror = (e) => {
    stopClock('failed');
    ui.run.disabled = false;
    ui.cancel.disabled = true;
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
ui.cancel.addEventListener('click', () => {
  ui.cancel.disabled = true;
  ui.status.textContent = 'Cancelling…';
  worker?.postMessage({ type: 'cancel' } satisfies WorkerRequest);
});
ui.resetView.addEventListener('click', () => viewer?.resetView());
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
