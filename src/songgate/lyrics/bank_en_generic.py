"""Hand-written lines any theme can sing: reflective, hopeful, fit for a bridge.

They share rhyme families with the theme banks, so a theme line can pair
with a generic one. Each inner tuple is one rhyme family by the CMU
dictionary; generic lines carry no hooks (a title comes from a theme).
"""

from __future__ import annotations

GENERIC: tuple[tuple[str, ...], ...] = (
    (
        "And if the world should lose its light",
        "Something in me feels so right",
        "We will make it through the night",
        "Holding on with all my might",
        "Every shadow turns to light",
        "The future's looking bright",
    ),
    (
        "Let the music lead the way",
        "Every word I want to say",
        "We will remember this one day",
        "Not everything is meant to stay",
        "Let tomorrow find its way",
        "Live the moment, seize the day",
    ),
    (
        "There is so much left to do",
        "Every dream can still come true",
        "Hold on, we will make it through",
        "The sky above is wide and blue",
        "Everything I say is true",
        "Every morning starts anew",
    ),
    (
        "Time is only passing by",
        "Don't be scared to wonder why",
        "Hold your head up to the sky",
        "Even when the well runs dry",
        "Some things we can't deny",
        "Spread your arms and aim up high",
    ),
    (
        "There are things I'll never know",
        "Some things we have to let go",
        "Every heart has room to grow",
        "This is how the stories go",
        "Take it easy, take it slow",
        "Let the light inside you glow",
    ),
    (
        "This is who I'm going to be",
        "Open up your eyes and see",
        "Every chance is calling me",
        "Now the road is clear to see",
        "A single moment, you and me",
        "Holding on to what could be",
    ),
    (
        "Every story has a start",
        "Follow what is in your heart",
        "Even when we're worlds apart",
        "Every piece and every part",
        "Something burning in my heart",
    ),
    (
        "Taking it one step at a time",
        "Every mountain we can climb",
        "Every second, every time",
        "Like a bell begins to chime",
        "Living in the nick of time",
    ),
    (
        "There's a fire deep inside",
        "Let the feeling be our guide",
        "Hearts and windows open wide",
        "Standing strong and side by side",
        "Turning with the changing tide",
        "Nowhere left for us to hide",
    ),
    (
        "Hold on, it won't be long",
        "This is where we both belong",
        "Every heart can sing a song",
        "Together we are twice as strong",
        "I've been waiting all along",
        "Even when the world goes wrong",
    ),
    (
        "Nothing's ever set in stone",
        "I will never be alone",
        "Rooms and faces I have known",
        "Making every day my own",
        "Further than we've ever flown",
    ),
    (
        "Life is like a flowing stream",
        "Hold on tight and chase the dream",
        "Brighter than a morning beam",
        "Things are not the way they seem",
        "We are part of something supreme",
    ),
    (
        "Feet are planted on the ground",
        "Listen to that lovely sound",
        "Look at what we've finally found",
        "Watch the world go spinning round",
        "Hope is waiting to be found",
    ),
    (
        "Love is floating in the air",
        "Wherever you go, I'll be there",
        "Every burden we can share",
        "Little moments, rich and rare",
        "Show the world how much you care",
    ),
    (
        "Hearts are burning brighter still",
        "Time can't stop us, never will",
        "Climbing up the highest hill",
        "Every empty cup to fill",
        "Hold this moment, hold it still",
    ),
    (
        "Rise up every time we fall",
        "Love will find us after all",
        "Standing up and walking tall",
        "Hear the distant echo call",
        "Nothing's ever really small",
    ),
    (
        "Every heart has songs to sing",
        "Feel the joy that these days bring",
        "Every little precious thing",
        "Like a bird upon the wing",
        "Hear the bells of morning ring",
    ),
)
