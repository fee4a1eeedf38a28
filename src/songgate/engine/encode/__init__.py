"""Delivery files: WAV and MP3, cover images, a still-image MP4.

Every writer produces its file under a temporary name in the destination folder
and renames it into place only when it is complete (:mod:`.atomic`), so a reader
(or a crash) never sees a half-written file under the final name.
"""
