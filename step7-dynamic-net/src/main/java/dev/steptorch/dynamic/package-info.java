/**
 * Step 7: the graph is built anew by every forward pass, so ordinary Java control flow decides
 * its shape ({@link dev.steptorch.dynamic.DynamicNet}); {@link dev.steptorch.dynamic.graph} shows
 * the static alternative, where a graph is declared once and then executed many times.
 */
package dev.steptorch.dynamic;
