from .ballot import Ballot, BallotCandidate, Vote, VoteTally
from .comments import Comment
from .voters import Voter, VoterCode

__all__ = ["Ballot", "BallotCandidate", "Comment", "Vote", "VoteTally", "Voter", "VoterCode"]
