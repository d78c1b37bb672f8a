//go:build !unix

package main

import "time"

// cpuTime is not measured here: streaming figures go without it.
func cpuTime() time.Duration { return 0 }
