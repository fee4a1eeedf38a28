"""Lyric sheets written for benchmarks/voice.py alone: plain English lines of the
kind the engine is asked to sing, in several styles and lengths (4 to 16 lines)."""

from __future__ import annotations

# (tags, lyrics); the first three are the --quick set.
SHEETS: tuple[tuple[str, str], ...] = (
    (
        "pop ballad",
        """[Verse]
We walked along the river in the evening light
The city sang below us and the stars were bright
I held your hand and told you that I would not go
And every word was true although we did not know""",
    ),
    (
        "upbeat pop",
        """[Verse]
Wake me up when the morning comes
I can hear the beating of the drums
Open the window and let it in
This is the day that we begin
[Chorus]
We are young and we are free
Come on down and dance with me
All the lights are shining gold
This is the story never told""",
    ),
    (
        "folk acoustic",
        """[Verse]
My father had a farm out by the old stone wall
He planted corn in spring and picked it in the fall
He never said a word about the things he knew
But every field he worked was telling me the truth
[Chorus]
Carry me home
Carry me home to the valley
Carry me home""",
    ),
    (
        "rock",
        """[Verse]
Turn it up and let the engine roar
We are not waiting anymore
The road is long and the night is black
We are never looking back
[Chorus]
Run run run into the fire
Higher and higher and higher
Nothing can stop us now
We will find a way somehow""",
    ),
    (
        "country",
        """[Verse]
There is a little church beside the county road
Where my mama used to sing when the wind was cold
She wore a yellow dress and a silver ring
And every Sunday morning I would hear her sing""",
    ),
    (
        "soul slow",
        """[Verse]
Baby you know I need you by my side
There is no reason left for me to hide
When the rain is falling on the window pane
I hear you calling out my name
[Chorus]
Stay with me tonight
Hold me close and hold me tight
Stay with me tonight
Everything will be all right""",
    ),
    (
        "indie pop",
        """[Verse]
I found a letter in a box of old things
A picture of a girl with paper wings
She wrote about the ocean and the summer sun
And how she wished that she could run
[Verse]
I never met her but I know her name
Some nights I think we are the same
We both keep looking at the open sky
And wonder if we learn to fly""",
    ),
    (
        "synth pop",
        """[Verse]
Electric lights on the avenue
Every color makes me think of you
Moving fast through the silver rain
I will see you again
[Chorus]
Call my name
Call my name into the night
Call my name
And I will make it right""",
    ),
    (
        "blues",
        """[Verse]
I woke up this morning and my money was gone
I woke up this morning and my money was gone
I had to walk to town with my old shoes on
[Verse]
The train is leaving and I can not stay
The train is leaving and I can not stay
I will be back home on another day""",
    ),
    (
        "anthem rock",
        """[Verse]
We came from the mountains and we came from the sea
We came from the cities to be who we want to be
Standing together with our hands in the air
Singing so loud that the whole world can hear
[Chorus]
This is our song
This is our song
We have been waiting so long
This is our song
[Verse]
When we are older and the years have gone by
We will remember how we sang to the sky
Nobody told us it would be so good
But we always knew that we could""",
    ),
    (
        "gentle lullaby",
        """[Verse]
Close your eyes my little one
The day is over and the work is done
The moon is climbing over the hill
The night is quiet and the trees are still""",
    ),
)
