/**
 * Internal: the demo server started by the README's first command.
 */
package dev.freetser.demo;
