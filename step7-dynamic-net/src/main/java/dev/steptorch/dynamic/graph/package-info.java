/**
 * A static graph in the style of TensorFlow 1: build the graph once from placeholders and
 * variables, derive the gradient graph symbolically, then run it many times in a
 * {@link dev.steptorch.dynamic.graph.Session} with new inputs. It exists to be compared with the
 * dynamic graphs of steps 3 to 7.
 */
package dev.steptorch.dynamic.graph;
