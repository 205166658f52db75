<?php
/**
 * The plugin's CHANGELOG.md as an admin page.
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP\Admin;

use const WorkOS_WP\PLUGIN_FILE;
use const WorkOS_WP\PRODUCT_NAME;
use const WorkOS_WP\VERSION;

defined( 'ABSPATH' ) || exit;

/**
 * WorkOS → Changelog (Tools → WorkOS Changelog while the top-level WorkOS
 * menu is not there): CHANGELOG.md rendered from the small Markdown subset
 * it is written in — headings, paragraphs, bullet lists (with wrapped
 * lines), `code`, **bold** and http(s) links. Every piece of text is
 * escaped before any markup is added, so the file cannot inject HTML.
 */
final class ChangelogPage {

	public const SLUG = 'workos-changelog';

	/** The top-level WorkOS menu (Admin\ProfilesPage), when it is registered. */
	public const PARENT = 'workos-login-profiles';

	/**
	 * admin_menu (late, after the WorkOS menu is added): the page, under
	 * the WorkOS menu or else under Tools.
	 */
	public static function add_menu(): void {
		global $admin_page_hooks;
		$under_workos = is_array( $admin_page_hooks ) && isset( $admin_page_hooks[ self::PARENT ] );
		add_submenu_page(
			$under_workos ? self::PARENT : 'tools.php',
			/* translators: %s: the plugin's name. */
			sprintf( __( '%s — Changelog', 'workos' ), PRODUCT_NAME ),
			$under_workos ? __( 'Changelog', 'workos' ) : __( 'WorkOS Changelog', 'workos' ),
			'manage_options',
			self::SLUG,
			array( self::class, 'render' )
		);
	}

	/**
	 * Where CHANGELOG.md is: beside the plugin file in a release zip, at the
	 * repository root in a checkout.
	 */
	public static function file(): string {
		foreach ( array( dirname( PLUGIN_FILE ), dirname( PLUGIN_FILE, 2 ) ) as $dir ) {
			if ( is_readable( $dir . '/CHANGELOG.md' ) ) {
				return $dir . '/CHANGELOG.md';
			}
		}
		return '';
	}

	/**
	 * The page.
	 */
	public static function render(): void {
		if ( ! current_user_can( 'manage_options' ) ) {
			wp_die( esc_html__( 'Sorry, you are not allowed to access this page.', 'workos' ), '', array( 'response' => 403 ) );
		}
		echo '<div class="wrap workos-changelog">';
		/* translators: %s: the plugin's name. */
		echo '<h1>' . esc_html( sprintf( __( '%s — Changelog', 'workos' ), PRODUCT_NAME ) ) . '</h1>';
		/* translators: %s: plugin version. */
		echo '<p>' . esc_html( sprintf( __( 'This site runs version %s.', 'workos' ), VERSION ) ) . '</p>';
		$file = self::file();
		$text = '' !== $file ? (string) file_get_contents( $file ) : ''; // phpcs:ignore WordPress.WP.AlternativeFunctions.file_get_contents_file_get_contents -- a local file of the plugin.
		if ( '' === $text ) {
			echo '<div class="notice notice-warning inline"><p>' . esc_html__( 'CHANGELOG.md is missing from the plugin\'s folder.', 'workos' ) . '</p></div></div>';
			return;
		}
		echo '<div class="workos-changelog-body">' . self::to_html( $text ) . '</div>'; // phpcs:ignore WordPress.Security.EscapeOutput.OutputNotEscaped -- to_html() escapes every piece of text.
		echo '<style>.workos-changelog-body{max-width:50em}.workos-changelog-body h2{margin-top:2em;border-bottom:1px solid #c3c4c7;padding-bottom:.3em}.workos-changelog-body ul{list-style:disc;padding-left:1.5em}.workos-changelog-body li{margin-bottom:.4em}</style>';
		echo '</div>';
	}

	/**
	 * The Markdown subset as HTML. The file's own "# Changelog" title is
	 * dropped (the page has its h1); `##` becomes h2, `###` h3, `####` h4.
	 *
	 * @param string $markdown The text.
	 */
	public static function to_html( string $markdown ): string {
		$html  = '';
		$para  = array();
		$items = array();
		$flush = static function () use ( &$html, &$para, &$items ): void {
			if ( $para ) {
				$html .= '<p>' . self::inline( implode( ' ', $para ) ) . "</p>\n";
				$para  = array();
			}
			if ( $items ) {
				$html .= "<ul>\n";
				foreach ( $items as $item ) {
					$html .= '<li>' . self::inline( $item ) . "</li>\n";
				}
				$html .= "</ul>\n";
				$items = array();
			}
		};
		foreach ( preg_split( '/\R/', $markdown ) as $line ) {
			if ( '' === trim( $line ) ) {
				$flush();
			} elseif ( preg_match( '/^(#{1,4})\s+(.+?)\s*#*\s*$/', $line, $m ) ) {
				$flush();
				$level = strlen( $m[1] );
				if ( $level > 1 ) {
					$html .= sprintf( "<h%1\$d>%2\$s</h%1\$d>\n", $level, self::inline( $m[2] ) );
				}
			} elseif ( preg_match( '/^[-*]\s+(.*)$/', $line, $m ) ) {
				if ( $para ) {
					$flush();
				}
				$items[] = $m[1];
			} elseif ( $items && preg_match( '/^\s+\S/', $line ) ) {
				$items[ count( $items ) - 1 ] .= ' ' . trim( $line ); // A wrapped list item.
			} else {
				if ( $items ) {
					$flush();
				}
				$para[] = trim( $line );
			}
		}
		$flush();
		return $html;
	}

	/**
	 * Inline markup: `code` (taken literally), [text](http(s) URL), **bold**
	 * (also around code). Text is escaped first; markup is added around
	 * escaped text only. Code spans are set aside as numbered placeholders
	 * (NUL-delimited: the text itself has its NULs removed) while the rest
	 * is marked up.
	 *
	 * @param string $text A line's text.
	 */
	public static function inline( string $text ): string {
		$codes = array();
		$text  = (string) preg_replace_callback(
			'/`([^`]+)`/',
			static function ( array $m ) use ( &$codes ): string {
				$codes[] = '<code>' . esc_html( $m[1] ) . '</code>';
				return "\0" . ( count( $codes ) - 1 ) . "\0";
			},
			str_replace( "\0", '', $text )
		);
		$out = '';
		foreach ( preg_split( '/(\[[^\]]+\]\(https?:\/\/[^\s)]+\))/', $text, -1, PREG_SPLIT_DELIM_CAPTURE ) as $j => $part ) {
			if ( 1 === $j % 2 && preg_match( '/^\[([^\]]+)\]\((https?:\/\/[^\s)]+)\)$/', $part, $m ) ) {
				$out .= sprintf( '<a href="%1$s">%2$s</a>', esc_url( $m[2] ), self::bold( esc_html( $m[1] ) ) );
			} else {
				$out .= self::bold( esc_html( $part ) );
			}
		}
		return (string) preg_replace_callback(
			'/\0(\d+)\0/',
			static fn( array $m ): string => $codes[ (int) $m[1] ] ?? '',
			$out
		);
	}

	/**
	 * **bold** in text already escaped (which holds no `<`).
	 *
	 * @param string $escaped Escaped text.
	 */
	private static function bold( string $escaped ): string {
		return (string) preg_replace( '/\*\*(.+?)\*\*/', '<strong>$1</strong>', $escaped );
	}
}
