"""English line templates that sing the prompt's nouns, by the part of the story they tell.

Each template is a whole grammatical line with one ``{x}`` slot for a noun
phrase ("the platform", "my mother", "hope"). The slot never ends a line:
every family of templates ends in one rhyme by the CMU dictionary, so two
lines of a family rhyme whatever fills them. Verbs around the slot are past
tense, modal or after "I"/"we", so a singular or a plural fits alike.

Roles follow a song's story: ``scene`` opens it (verse 1, present),
``event`` and ``memory`` move it on (verse 2, past), ``doing`` sings the
prompt's own verb in a ``{v}`` slot ("We were chasing in the fading light")
and answers it with a noun line, ``turn`` is the
bridge, ``hook`` opens the chorus and marks its title phrase with ``*``,
``chorus`` answers the hook, ``outro`` closes.
"""

from __future__ import annotations

Family = tuple[str, ...]

TEMPLATES: dict[str, tuple[Family, ...]] = {
    "scene": (
        ("I can see {x} in the evening light", "Here beside {x} on a quiet night",
         "I walk down to {x} with the stars in sight", "Lanterns glow around {x} so bright"),
        ("Morning breaks above {x} in grey", "I find my way to {x} today",
         "I have come to {x} to stay", "Children laugh beside {x} and play"),
        ("I walk along {x} without a sound", "I hear {x} and silence all around",
         "This is where {x} can still be found", "Shadows fall on {x} and on the ground"),
        ("All I need is {x} here with me", "Sitting by {x}, I feel free",
         "Take me down to {x} and let me be", "I look at {x} as far as eyes can see"),
        ("I am waiting by {x} in the rain", "Here I am beside {x} again",
         "I walk past {x} down the lane", "Every road leads back to {x} again"),
    ),
    "event": (
        ("Then {x} came near and the moment froze", "We stood by {x} as the morning rose",
         "I said goodbye to {x}, and heaven knows", "We followed {x} where the river flows"),
        ("We ran along {x} with our arms spread wide", "Then {x} came in like a rising tide",
         "I held on to {x} for the ride", "Nobody saw {x} the night I cried"),
        ("That was the night {x} came", "Across {x} I wrote your name",
         "Nothing after {x} felt the same", "We gathered round {x} by the flame"),
        ("We shared {x} when the night was cold", "Everything by {x} turned to gold",
         "There were stories of {x} to be told", "I had {x} and your hand to hold"),
    ),
    "memory": (
        ("I remember {x} from long ago", "I saw {x} in the evening glow",
         "We used to watch {x} moving slow", "Only {x} and I would know"),
        ("I have carried {x} through the years", "I can picture {x} through my tears",
         "Thinking of {x} calms my fears", "Every thought of {x} reappears"),
        ("I keep {x} at the back of my mind", "Still I think of {x} we left behind",
         "I go looking for {x} I cannot find", "We were young beside {x}, and the world was kind"),
        ("I keep {x} close to my heart", "Even {x} could not keep us apart",
         "It was {x} right from the start", "We painted {x} like a work of art"),
    ),
    "doing": (
        ("We were {v} in the fading light", "I was {v} late into the night",
         "I can still see {x} shining bright", "I held on to {x} so tight"),
        ("I remember {v} far away", "We were {v} on a summer day",
         "I have kept {x} to this day", "Nothing ever took {x} away"),
        ("I was {v}, wild and free", "You were {v} next to me",
         "I let {x} come along with me", "I left {x} beside the sea"),
        ("We were {v} all along", "I kept {v} all night long",
         "I turned {x} into a song", "Near {x} is where we belong"),
    ),
    "turn": (
        ("But {x} will carry me through", "Maybe {x} will feel brand new",
         "Every word about {x} was true", "All I had was {x} and you"),
        ("Still {x} will wait for my return", "Now it is time for {x} to turn",
         "From {x} there is so much to learn", "I will carry {x} as the candles burn"),
        ("Maybe {x} will last forever", "I won't forget {x}, no, never",
         "I may lose {x}, but not forever", "I'll hold on to {x} now and ever"),
        ("Take me home to {x}, take me back", "Every road to {x} fades to black",
         "I will find {x} on the track", "Even {x} could not hide the crack"),
    ),
    "hook": (
        ("I've got *{x} on my mind*", "Every road to {x} is hard to find",
         "Leave {x} and the world behind", "Let {x} be the ties that bind"),
        ("Take me back to *{x} tonight*", "Hold on to {x} with all your might",
         "Everything about {x} feels right", "Underneath {x} the stars are bright"),
        ("Sing a song of *{x} and me*", "Near {x} is where I want to be",
         "With {x} I am finally free", "Only {x} can set me free"),
        ("I keep *{x} in my heart*", "Even {x} can't keep us apart",
         "It was {x} right from the start", "Every day with {x} is a start"),
        ("Take me *back to {x}* again", "I'll be waiting by {x} till then",
         "I will find {x} and I don't know when", "We'll be singing by {x} again and again"),
    ),
    "outro": (
        ("So goodnight to {x}, goodnight", "Watch {x} fade into the light",
         "I'll be dreaming of {x} tonight", "Let {x} glow soft and white"),
        ("I will sing of {x} all day", "Let {x} show me the way",
         "Keep {x} close, come what may", "And {x} will never fade away"),
    ),
}
