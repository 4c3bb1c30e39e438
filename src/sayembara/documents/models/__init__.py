from .certificates import Certificate, CertificateBatch, CertificateDesign
from .charts import RenderedChart
from .publication import Publication

__all__ = ["Certificate", "CertificateBatch", "CertificateDesign", "Publication", "RenderedChart"]
