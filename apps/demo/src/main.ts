import { requestKernelDevice } from '@avatarme/kernels';

const status = document.getElementById('status')!;

requestKernelDevice()
  .then((device) => {
    const info = device.adapterInfo;
    status.textContent = `WebGPU ready: ${info.vendor} ${info.architecture}`;
  })
  .catch((e: Error) => {
    status.textContent = `WebGPU unavailable: ${e.message}`;
  });
