"""The last stages: mix and master to delivery loudness, then encode (MP3, WAV, covers, MP4)."""
