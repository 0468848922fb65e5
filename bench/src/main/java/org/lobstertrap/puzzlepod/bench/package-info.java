/** Benchmarks: JMH for in-process code, and ratio mains that time a reference tool in the same run. */
package org.lobstertrap.puzzlepod.bench;
