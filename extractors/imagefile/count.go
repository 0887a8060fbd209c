package imagefile

import (
	"image"

	"github.com/pervichka/pervichka"
)

// Count reads only the headers of an image file and returns its number of
// pages, checking every limit Decode checks before decoding (bytes, pixels
// per page, pages). It is for a stage that must know the pages without
// paying for their pixels; a file that passes Count may still fail to
// decode (a corrupt body behind a good header).
func Count(b []byte, lim pervichka.Limits) (int, error) {
	n := 0
	if err := eachHeader(b, lim, func(image.Config) { n++ }); err != nil {
		return 0, err
	}
	return n, nil
}
