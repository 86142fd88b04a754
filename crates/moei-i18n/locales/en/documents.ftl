# documents: en strings.
doc-image-upload = Read the MRZ from a photo or scan of the document
doc-image-submit = Read the image
doc-image-note = The image is read on the server and not kept. Compare what is read with the document before saving.
doc-image-read-valid = Read from the image; every check digit is correct. Compare it with the document, then save.
doc-image-read-invalid = Read from the image, but some checks fail: correct the zone against the document before saving.
doc-image-no-zone = No machine-readable zone was found in the image. Type it, or take a sharper photo straight on in even light.
doc-image-unreadable = The file could not be read: send a PNG or JPEG image of at most 8 MiB.
