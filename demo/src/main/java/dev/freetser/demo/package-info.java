/**
 * Internal, may change: the demo server started by the README's first command.
 * {@link dev.freetser.demo.DemoServer} reads its flags ({@link dev.freetser.demo.DemoOptions}) and
 * serves {@link dev.freetser.demo.DemoRoutes}: the original's test routes
 * ({@link dev.freetser.demo.StressTestRoutes}) and a key-value API over HTTP conditional requests
 * ({@link dev.freetser.demo.KvRoutes}, {@link dev.freetser.demo.Preconditions},
 * {@link dev.freetser.demo.EntityTag}, {@link dev.freetser.demo.KeyDecoder}).
 */
package dev.freetser.demo;
