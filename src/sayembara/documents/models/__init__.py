from .certificates import Certificate, CertificateBatch, CertificateDesign
from .publication import Publication

__all__ = ["Certificate", "CertificateBatch", "CertificateDesign", "Publication"]
