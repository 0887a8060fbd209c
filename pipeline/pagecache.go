package pipeline

import (
	"image"
	"sync"
)

// pageCache keeps the last few enhanced page images a worker produced, so
// that extract, when it runs in the same process soon after and needs to
// re-read a box, skips decoding the stored PNG. A miss only costs that
// decoding; entries are dropped oldest first. An enhanced A4 page is about
// 5–9 MB of grey pixels, so the cache holds a handful.
type pageCache struct {
	mu    sync.Mutex
	max   int
	order []string
	imgs  map[string]image.Image
}

func newPageCache(max int) *pageCache {
	return &pageCache{max: max, imgs: make(map[string]image.Image, max)}
}

func (c *pageCache) put(key string, img image.Image) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.imgs[key]; ok {
		c.imgs[key] = img
		return
	}
	for len(c.order) >= c.max {
		delete(c.imgs, c.order[0])
		c.order = c.order[1:]
	}
	c.order = append(c.order, key)
	c.imgs[key] = img
}

func (c *pageCache) get(key string) (image.Image, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	img, ok := c.imgs[key]
	return img, ok
}
