/**
 * torchvision's {@code models}: {@link dev.steptorch.vision.models.ResNet} with its blocks, the same
 * tree, names and printing as torchvision's, so its weight files load as they are.
 */
package dev.steptorch.vision.models;
