// Package guardpage gives tests of scanning code (assembly included) a
// buffer that ends where unreadable memory begins, so that a load or
// store past the end of a slice faults instead of passing unnoticed.
package guardpage
