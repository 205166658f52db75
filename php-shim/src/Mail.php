<?php
/**
 * The mails the plugin sends itself, through the reference's filters.
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP;

defined( 'ABSPATH' ) || exit;

/**
 * One way out for the plugin's own mails, so that a site can reword or
 * restyle each of them by its template id (the reference plugin's filters
 * `workos_email_subject`, `workos_email_body`, `workos_email_headers`, each
 * called with the value, the template id and the context):
 *
 *   change-email/old-address-notice   the old address: a change was asked for
 *   change-email/confirmation-notice  the old address: the change was made
 *   signup/existing-account-notice    a sign-up used an address that has an account
 *
 * The reference's `change-email/verification-email` never passes here: the
 * code that proves a new address is mailed by WorkOS, not by this site.
 * Mails WorkOS sends (magic codes, reset links, invitations) are WorkOS's.
 */
final class Mail {

	/**
	 * Sends one mail after the filters had their say.
	 *
	 * @param string $to       Recipient.
	 * @param string $template Template id (see above).
	 * @param string $subject  Subject.
	 * @param string $body     Plain-text body.
	 * @param array  $context  What the mail is about (user_id, site, …), for the filters.
	 * @return bool Whether wp_mail() accepted it.
	 */
	public static function send( string $to, string $template, string $subject, string $body, array $context = array() ): bool {
		/**
		 * The subject of a mail the plugin sends (the reference's filter).
		 *
		 * @param string $subject  Subject.
		 * @param string $template Template id.
		 * @param array  $context  What the mail is about.
		 */
		$subject = (string) apply_filters( 'workos_email_subject', $subject, $template, $context );
		/**
		 * The body of a mail the plugin sends (the reference's filter). Plain
		 * text unless the headers say otherwise.
		 *
		 * @param string $body     Body.
		 * @param string $template Template id.
		 * @param array  $context  What the mail is about.
		 */
		$body = (string) apply_filters( 'workos_email_body', $body, $template, $context );
		/**
		 * The headers of a mail the plugin sends (the reference's filter):
		 * e.g. `Content-Type: text/html; charset=UTF-8` with an HTML body.
		 *
		 * @param string[] $headers  Headers (none: WordPress's defaults).
		 * @param string   $template Template id.
		 * @param array    $context  What the mail is about.
		 */
		$headers = apply_filters( 'workos_email_headers', array(), $template, $context );
		$headers = is_array( $headers ) ? array_values( array_filter( $headers, 'is_string' ) ) : array();
		return (bool) wp_mail( $to, $subject, $body, $headers );
	}
}
