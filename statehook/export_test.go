package statehook

// SetBeforeFinish sets the test hook beforeFinish (nil removes it); call
// it only while no worker runs.
func SetBeforeFinish(f func(documentID int64)) { beforeFinish = f }
