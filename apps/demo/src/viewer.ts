import { KernelContext, positionBounds, requestKernelDevice, type Tensor } from '@avatarme/kernels';
import type { TexturedMesh } from '@avatarme/pipeline/export/mesh.ts';
import type { ReconstructionMaps } from '@avatarme/pipeline/reconstruct/types.ts';
import { CanvasPresenter } from '@avatarme/pipeline/skin-render/present.ts';
import { IblEnvironment, type HdrEnvironmentName } from '@avatarme/pipeline/skin-render/ibl-environment.ts';
import { SkinRenderer, type ViewMode } from '@avatarme/pipeline/skin-render/skin-render.ts';
import { Matrix4, PerspectiveCamera, Vector3, WebGPUCoordinateSystem } from 'three';
import { OrbitControls } from 'three/addons/controls/OrbitControls.js';

export interface ViewSettings {
  mode: ViewMode;
  /** One of the bundled CC0 HDR environments. */
  environment: HdrEnvironmentName;
  /** Turn of the environment (and its key light) about the vertical axis, degrees. */
  rotation: number;
  /** Exposure in stops. */
  exposure: number;
}

/**
 * The 3D view: three.js provides the camera and orbit controls; our WebGPU skin renderer draws the
 * face with its four maps under an HDR environment (the same renderer and defaults as the exported
 * renders: SH9 + split-sum IBL, GGX on the specular normals, key light with a shadow, SSS in mm,
 * PBR Neutral tone mapping).
 */
export class FaceViewer {
  private renderer: SkinRenderer | undefined;
  private camera = new PerspectiveCamera(30, 1, 0.01, 100);
  private controls: OrbitControls;
  private model = new Matrix4();
  private pending = false;
  private settings: ViewSettings = { mode: 'full', environment: 'studio', rotation: 0, exposure: 0 };
  private environments = new Map<HdrEnvironmentName, Promise<IblEnvironment>>();
  private environment: IblEnvironment | undefined;
  /** Number of frames drawn (the end-to-end test waits on it). */
  frames = 0;

  private constructor(
    private canvas: HTMLCanvasElement,
    private ctx: KernelContext,
    private presenter: CanvasPresenter,
  ) {
    this.camera.coordinateSystem = WebGPUCoordinateSystem;
    this.controls = new OrbitControls(this.camera, canvas);
    this.controls.enableDamping = false;
    this.controls.addEventListener('change', () => this.requestRender());
  }

  static async create(canvas: HTMLCanvasElement): Promise<FaceViewer> {
    const device = await requestKernelDevice({ label: 'avatarme demo view' });
    const context = canvas.getContext('webgpu');
    if (!context) throw new Error('this browser cannot draw WebGPU into a canvas');
    const format = navigator.gpu.getPreferredCanvasFormat();
    context.configure({ device, format, alphaMode: 'opaque' });
    const ctx = new KernelContext(device);
    return new FaceViewer(canvas, ctx, new CanvasPresenter(ctx, context, format));
  }

  show(mesh: TexturedMesh, maps: ReconstructionMaps): void {
    this.renderer?.dispose();
    this.renderer = SkinRenderer.create(this.ctx, mesh, maps);
    // Centre the face and fit it in view.
    const bounds = positionBounds(mesh.positions);
    const centre = new Vector3(...bounds.centre);
    const radius = bounds.radius;
    this.model.makeTranslation(-centre.x, -centre.y, -centre.z);
    this.camera.near = radius / 50;
    this.camera.far = radius * 50;
    this.camera.position.set(0, 0, (radius / Math.tan((this.camera.fov * Math.PI) / 360)) * 1.15);
    this.controls.target.set(0, 0, 0);
    this.controls.update();
    this.controls.saveState();
    this.canvas.hidden = false;
    void this.useEnvironment(this.settings.environment);
    this.requestRender();
  }

  /** The camera framing of the last show(), undoing any orbit, pan and zoom. */
  resetView(): void {
    this.controls.reset();
    this.requestRender();
  }

  /** Drops the face (and its GPU resources); the canvas is hidden until the next show(). */
  clear(): void {
    this.renderer?.dispose();
    this.renderer = undefined;
    this.canvas.hidden = true;
  }

  update(settings: Partial<ViewSettings>): void {
    Object.assign(this.settings, settings);
    void this.useEnvironment(this.settings.environment);
    this.requestRender();
  }

  /** Loads (once) and switches to an environment; draws again when it is ready. */
  private async useEnvironment(name: HdrEnvironmentName): Promise<void> {
    let pending = this.environments.get(name);
    if (!pending) {
      pending = IblEnvironment.load(this.ctx, name);
      this.environments.set(name, pending);
    }
    const env = await pending;
    if (this.settings.environment === name && this.environment !== env) {
      this.environment = env;
      this.requestRender();
    }
  }

  private requestRender(): void {
    if (this.pending || !this.renderer || !this.environment) return;
    this.pending = true;
    requestAnimationFrame(() => {
      this.pending = false;
      this.draw();
    });
  }

  private draw(): void {
    if (!this.renderer || !this.environment) return;
    const size = this.canvas.width;
    this.camera.updateProjectionMatrix();
    this.camera.updateMatrixWorld();
    const viewProj = new Matrix4().multiplyMatrices(
      this.camera.projectionMatrix,
      this.camera.matrixWorldInverse,
    );
    const image: Tensor = this.renderer.render({
      width: size,
      height: size,
      viewProj: new Float32Array(viewProj.elements),
      model: new Float32Array(this.model.elements),
      eye: [this.camera.position.x, this.camera.position.y, this.camera.position.z],
      environment: this.environment,
      environmentRotation: (this.settings.rotation * Math.PI) / 180,
      exposure: this.settings.exposure,
      mode: this.settings.mode,
    });
    this.presenter.present(image);
    image.dispose();
    this.frames++;
  }
}
