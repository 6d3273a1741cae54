export { identityLoss, cosineLoss, type IdentityLoss } from './identity-loss.ts';
