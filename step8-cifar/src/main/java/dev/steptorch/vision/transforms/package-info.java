/**
 * torchvision.transforms on a small CHW {@link dev.steptorch.vision.transforms.Image}: conversion,
 * normalisation, flips, crops and bilinear resizing, each drawing randomness only from the
 * generator it is handed.
 */
package dev.steptorch.vision.transforms;
