"""Score → audio: Standard MIDI, FluidSynth, and the numpy voices that cannot fail."""
