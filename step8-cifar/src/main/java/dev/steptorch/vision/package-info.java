/**
 * torchvision's datasets and utils: {@link dev.steptorch.vision.CIFAR10} (binary layout, optional
 * download), {@link dev.steptorch.vision.ImageFolder}, and {@link dev.steptorch.vision.VisionUtils}
 * for image grids and PNG output.
 */
package dev.steptorch.vision;
