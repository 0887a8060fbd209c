package pervichka

import "testing"

func TestDownloadName(t *testing.T) {
	for _, tt := range []struct{ sent, ct, want string }{
		{"счёт 17.pdf", "application/pdf", "счёт 17.pdf"},
		{"invoice.html", "application/pdf", "invoice.pdf"},
		{"invoice.HTML", "application/pdf", "invoice.pdf"},
		{"photo.JPEG", "image/jpeg", "photo.jpeg"},
		{"photo.png", "image/jpeg", "photo.jpg"},
		{"scan.pdf.exe", "application/pdf", "scan.pdf"},
		{"scan", "image/tiff", "scan.tiff"},
		{"акт\u202Efdp.exe", "application/pdf", "актfdp.pdf"},
		{"\u202Egpj.html", "image/jpeg", "gpj.jpg"},
		{"a\u200Bb\u2066c\u2069.pdf", "application/pdf", "abc.pdf"},
		{"../../etc/passwd", "application/pdf", "_.._etc_passwd.pdf"},
		{"..\\evil.png", "image/png", "_evil.png"},
		{"line\r\nbreak.pdf", "application/pdf", "linebreak.pdf"},
		{"", "image/webp", "document-7.webp"},
		{".pdf", "application/pdf", "pdf.pdf"},
		{"\u202E", "application/pdf", "document-7.pdf"},
		{"x.html", "text/html", "x.bin"},
		{"bad\xffutf8.pdf", "application/pdf", "badutf8.pdf"},
	} {
		if got := DownloadName(tt.sent, 7, tt.ct); got != tt.want {
			t.Errorf("DownloadName(%q, %s) = %q, want %q", tt.sent, tt.ct, got, tt.want)
		}
	}
}

func FuzzDownloadName(f *testing.F) {
	f.Add("invoice.html", "application/pdf")
	f.Add("\u202Eexe.pdf", "image/png")
	f.Fuzz(func(t *testing.T, sent, ct string) {
		got := DownloadName(sent, 1, ct)
		if got == "" || got[0] == '.' {
			t.Fatalf("DownloadName(%q) = %q", sent, got)
		}
		for _, r := range got {
			if r < 0x20 || r == '/' || r == '\\' || (r >= 0x202A && r <= 0x202E) || (r >= 0x2066 && r <= 0x2069) {
				t.Fatalf("DownloadName(%q) = %q keeps %U", sent, got, r)
			}
		}
	})
}
