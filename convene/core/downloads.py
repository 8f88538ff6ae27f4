"""Uploaded files sent back to those allowed to read them."""

from django.http import FileResponse, Http404


def file_download(upload, *, filename: str) -> FileResponse:
    """`upload` (a FieldFile) as a download named `filename`.

    Raises Http404 when the field is empty or the file is gone from the storage (a
    restored database without its media, a file removed by hand): a missing document is
    not found, never a server error. The browser is told to save the file, not to guess
    its type and render it.
    """
    if not upload:
        raise Http404
    try:
        handle = upload.open("rb")
    except (FileNotFoundError, IsADirectoryError) as error:
        raise Http404 from error
    response = FileResponse(handle, as_attachment=True, filename=filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def file_suffix(upload) -> str:
    """The extension of the stored name, for the name the file is downloaded under."""
    return upload.name.rsplit(".", 1)[-1] if "." in upload.name else "bin"
