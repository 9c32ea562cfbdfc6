//! Reading back what a release says about technology and education per occupation, for the
//! in-memory catalog.

use skillgap_core::{EducationCategory, EducationRating, SocCode, TechnologySkill};
use sqlx::Row;

use crate::read::{code, corrupt, count, date, element, flag, scale};
use crate::row::TextRow;
use crate::scope::{Only, bound};
use crate::{Store, StoreError, dispatch};

fn small(table: &'static str, v: i64) -> Result<u16, sqlx::Error> {
    u16::try_from(v).map_err(|e| corrupt(table, e))
}

impl Store {
    /// Every technology example, by occupation and example (byte order, the same on every
    /// backend whatever its collation).
    pub async fn technology_skills(&self) -> Result<Vec<TechnologySkill>, StoreError> {
        self.technology_skills_of(None).await
    }

    /// [`Store::technology_skills`] of the occupations in `only` when given.
    pub async fn technology_skills_of(
        &self,
        only: Option<&[SocCode]>,
    ) -> Result<Vec<TechnologySkill>, StoreError> {
        const T: &str = "technology_skills";
        let only = Only(only);
        let binds = only.binds();
        let sql = only.sql(
            self.backend,
            "SELECT onetsoc_code, example, commodity_code, commodity_title, hot_technology, in_demand \
             FROM technology_skills ORDER BY onetsoc_code, example",
        );
        let out = dispatch!(self, pool => {
            bound!(&sql, &binds)
                .fetch_all(pool)
                .await?
                .iter()
                .map(|r| -> Result<TechnologySkill, sqlx::Error> {
                    Ok(TechnologySkill {
                        occupation: code(T, &r.text(0)?)?,
                        example: r.text(1)?,
                        commodity_code: u32::try_from(r.try_get::<i64, _>(2)?).map_err(|e| corrupt(T, e))?,
                        commodity_title: r.text(3)?,
                        hot: r.text(4)? == "Y",
                        in_demand: r.text(5)? == "Y",
                    })
                })
                .collect::<Result<Vec<_>, _>>()?
        });
        let mut out = out;
        out.sort_by(|a, b| (a.occupation, &a.example).cmp(&(b.occupation, &b.example)));
        Ok(out)
    }

    /// Every category of the education, training and experience scales.
    pub async fn education_categories(&self) -> Result<Vec<EducationCategory>, StoreError> {
        const T: &str = "education_categories";
        let sql = "SELECT element_id, scale_id, category, description FROM education_categories \
                   ORDER BY element_id, scale_id, category";
        let out = dispatch!(self, pool => {
            sqlx::query(sql)
                .fetch_all(pool)
                .await?
                .iter()
                .map(|r| -> Result<EducationCategory, sqlx::Error> {
                    Ok(EducationCategory {
                        element: element(T, &r.text(0)?)?,
                        scale: scale(T, &r.text(1)?)?,
                        category: small(T, r.try_get(2)?)?,
                        description: r.text(3)?,
                    })
                })
                .collect::<Result<Vec<_>, _>>()?
        });
        Ok(out)
    }

    /// Every education, training and experience row, in the release's order.
    pub async fn education(&self) -> Result<Vec<EducationRating>, StoreError> {
        self.education_of(None).await
    }

    /// [`Store::education`] of the occupations in `only` when given.
    pub async fn education_of(
        &self,
        only: Option<&[SocCode]>,
    ) -> Result<Vec<EducationRating>, StoreError> {
        const T: &str = "education_training";
        let only = Only(only);
        let binds = only.binds();
        let sql = only.sql(
            self.backend,
            "SELECT onetsoc_code, element_id, scale_id, category, data_value, n, standard_error, \
             lower_ci_bound, upper_ci_bound, recommend_suppress, date_updated, domain_source \
             FROM education_training ORDER BY id",
        );
        let out = dispatch!(self, pool => {
            bound!(&sql, &binds)
                .fetch_all(pool)
                .await?
                .iter()
                .map(|r| -> Result<EducationRating, sqlx::Error> {
                    Ok(EducationRating {
                        occupation: code(T, &r.text(0)?)?,
                        element: element(T, &r.text(1)?)?,
                        scale: scale(T, &r.text(2)?)?,
                        category: r.try_get::<Option<i64>, _>(3)?.map(|c| small(T, c)).transpose()?,
                        value: r.try_get(4)?,
                        n: count(r.try_get(5)?),
                        standard_error: r.try_get(6)?,
                        lower_ci: r.try_get(7)?,
                        upper_ci: r.try_get(8)?,
                        recommend_suppress: flag(r.opt_text(9)?),
                        date: date(T, r.opt_text(10)?)?,
                        domain_source: r.opt_text(11)?,
                    })
                })
                .collect::<Result<Vec<_>, _>>()?
        });
        Ok(out)
    }
}
