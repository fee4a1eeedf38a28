"""The vocal melody → sung audio: espeak-ng speaks each syllable, WORLD sings it."""
